#!/bin/sh
# azd preprovision hook: refuses, before anything is created, an email setup the app could not start with.
# azd passes the environment's values (azd env set ...) as environment variables.
# infra/main.bicep stops the deployment with the same message when it is run without azd.
set -eu

provider="${EMAIL_PROVIDER:-Acs}"
failover="${EMAIL_FAILOVER_PROVIDER:-}"
sender="${EMAIL_PLATFORM_SENDER:-}"

for name in "$provider" "$failover"; do
  case "$name" in
    ""|Acs|Ses) ;;
    *) echo "EMAIL_PROVIDER and EMAIL_FAILOVER_PROVIDER take Acs or Ses (got '$name')." >&2; exit 1 ;;
  esac
done

if [ "$provider" = "$failover" ]; then
  echo "EMAIL_FAILOVER_PROVIDER must differ from EMAIL_PROVIDER (both are '$provider'); leave it empty for no failover." >&2
  exit 1
fi

if { [ "$provider" = "Ses" ] || [ "$failover" = "Ses" ]; } && [ -z "$sender" ]; then
  echo "EMAIL_PROVIDER or EMAIL_FAILOVER_PROVIDER is Ses, so EMAIL_PLATFORM_SENDER must be an address verified in Amazon SES:" >&2
  echo "  azd env set EMAIL_PLATFORM_SENDER notices@mail.example.org" >&2
  exit 1
fi

case "$sender" in
  ""|?*@?*.?*) ;;
  *) echo "EMAIL_PLATFORM_SENDER must be an email address (got '$sender')." >&2; exit 1 ;;
esac
