#!/bin/sh
# Removes a mini-cluster network namespace left behind by a run that could not clean up (killed
# test runner, crashed script): kills, by PID, the processes still running inside that one
# namespace (dnsmasq, the HTTP server, qemu: only the mini-cluster starts processes there), then
# deletes it. Touches nothing else. Usage (root): scripts/minicluster/cleanup.sh dt-<id>
set -eu
ns="${1:-}"
case "$ns" in
  dt-*) ;;
  *) echo "usage: $0 dt-<id>   (a mini-cluster namespace; see 'ip netns list')" >&2; exit 2 ;;
esac
if ! ip netns list | awk '{print $1}' | grep -qx "$ns"; then
  echo "cleanup: no namespace $ns"
  exit 0
fi
pids="$(ip netns pids "$ns")"
for pid in $pids; do
  echo "cleanup: killing PID $pid ($(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-80))"
  kill -KILL "$pid" 2>/dev/null || true
done
for _ in 1 2 3 4 5 6 7 8 9 10; do
  [ -z "$(ip netns pids "$ns")" ] && break
  sleep 0.2
done
ip netns del "$ns"
echo "cleanup: deleted namespace $ns"
