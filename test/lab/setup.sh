#!/bin/sh
# Installs what the NAT lab needs (Debian iproute2, iptables, openssl) when it is missing and we are
# root. Anything else (not root, no apt-get, no network): do nothing here; test/lab/run.ts then says
# what it needs and exits 0. Bounded in time; never fails the run by itself.
set -u
[ "$(id -u)" = 0 ] || exit 0
missing=""
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
command -v iptables >/dev/null 2>&1 || command -v iptables-legacy >/dev/null 2>&1 || missing="$missing iptables"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
[ -n "$missing" ] || exit 0
command -v apt-get >/dev/null 2>&1 || { echo "test:lab: missing$missing and no apt-get to install them" >&2; exit 0; }
echo "test:lab: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
install() { timeout 300 apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
# A fresh machine may have no package lists yet: update once, then try again.
install || { timeout 300 apt-get update -qq >/dev/null && install; } || echo "test:lab: could not install$missing" >&2
exit 0
