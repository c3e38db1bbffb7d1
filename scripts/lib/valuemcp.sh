# shellcheck shell=bash
# The server a script runs: a built valuemcp.dll (run through dotnet) or a native executable (the Aot publish).
#   . scripts/lib/valuemcp.sh; valuemcp_command PATH; "${valuemcp_cmd[@]}" serve ...
valuemcp_command() {
  case "$1" in
    *.dll) valuemcp_cmd=(dotnet "$1") ;;
    *) valuemcp_cmd=("$1") ;;
  esac
}
