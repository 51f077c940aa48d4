// Shows a rendered email in a preview frame. A srcdoc frame inherits this page's policy (img-src 'self' data:), which
// blocks the library's logo; so the frame loads a document of its own ("preview-frame", StaffPreviewFrame on the
// server) whose policy allows images from exactly the logo's https origin, and the email is written into it as DOM.
// The frame is sandboxed with allow-same-origin only (so this page can write into it) and never allow-scripts: no
// script in an email runs, and the frame's own policy has no script source either.
const writes = new WeakMap();
const loads = new WeakMap();

/** Writes `html` into `frame`, whose images may come from the origin of `logoUrl` (none when empty). */
export async function showEmail(frame, html, logoUrl) {
  const turn = (writes.get(frame) ?? 0) + 1;
  writes.set(frame, turn);
  const doc = await ready(frame, frameUrl(logoUrl));
  // A later call wrote (or will write) a newer email: this one is stale.
  if (writes.get(frame) !== turn) return;
  // Parsed by the frame's own DOMParser, so even the inert parsed document is under the frame's policy and sandbox
  // (Chromium gives a parsed document its creator's context); its nodes are then adopted by the frame.
  const parsed = new frame.contentWindow.DOMParser().parseFromString(html, 'text/html');
  doc.replaceChild(doc.importNode(parsed.documentElement, true), doc.documentElement);
}

function frameUrl(logoUrl) {
  const url = new URL('preview-frame', document.baseURI);
  if (logoUrl) url.searchParams.set('logo', logoUrl);
  return url.href;
}

// Loads the frame's document for this logo once; reloads when the logo changes or the frame was navigated away.
async function ready(frame, url) {
  const pending = loads.get(frame);
  if (pending?.url === url) {
    await pending.loaded;
    if (frame.contentDocument?.URL === url) return frame.contentDocument;
  }

  const loaded = new Promise(resolve => frame.addEventListener('load', resolve, { once: true }));
  loads.set(frame, { url, loaded });
  frame.src = url;
  await loaded;
  return frame.contentDocument;
}
