// A real SMTP server (npm smtp-server) for the delivery tests: node smtp-sink.js <port> <folder>.
// Each accepted message is written to <folder> as <n>.eml; RCPT TO addresses starting "reject" get 550.
'use strict';
const fs = require('fs');
const path = require('path');
const { SMTPServer } = require(path.join(process.cwd(), 'node_modules', 'smtp-server'));

const port = parseInt(process.argv[2], 10);
const folder = process.argv[3];
fs.mkdirSync(folder, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onRcptTo(address, session, callback) {
    if (address.address.startsWith('reject')) {
      const error = new Error('Mailbox unavailable');
      error.responseCode = 550;
      return callback(error);
    }
    return callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      count += 1;
      const envelope = 'X-Envelope-To: ' + session.envelope.rcptTo.map((r) => r.address).join(',') + '\r\n';
      fs.writeFileSync(path.join(folder, count + '.eml'), envelope + Buffer.concat(chunks).toString('utf8'));
      callback(null, 'queued as ' + count);
    });
  },
});
server.listen(port, '127.0.0.1');
