# Offline, non-interactive Pulumi with a local file state backend (sourced after setup.sh).
export PULUMI_HOME=${PULUMI_HOME:-$WINDOCK_CACHE/pulumi-home}
export WINDOCK_STATE_DIR=${WINDOCK_STATE_DIR:-$HOME/.windock/state}
mkdir -p "$PULUMI_HOME" "$WINDOCK_STATE_DIR"
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$WINDOCK_STATE_DIR}
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE-}
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
