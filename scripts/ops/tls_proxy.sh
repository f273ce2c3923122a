#!/usr/bin/env bash
# TLS the way the README sets it up: nginx terminates TLS (a self-signed certificate here) and
# proxies to `epsom serve` on loopback, which is started with --public-url https://… . Checks,
# through https: the page loads, a sign-in sets a Secure session cookie, HSTS is sent, and a
# calendar-feed link would use the https address. Needs nginx and openssl (Debian's packages).
#   scripts/ops/tls_proxy.sh path/to/epsom
set -euo pipefail
binary=$1
work=$(mktemp -d /tmp/epsom-tls.XXXXXX)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
app_port=$(free_port); tls_port=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
    -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
    server {
        listen 127.0.0.1:$tls_port ssl;
        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        client_max_body_size 4m;
        location / {
            proxy_pass http://127.0.0.1:$app_port;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        }
    }
}
CONF
"$binary" serve --port "$app_port" --database "sqlite:$work/tls.sqlite" --public-url "https://localhost:$tls_port" >"$work/app.log" 2>&1 &
app=$!
nginx -c "$work/nginx.conf"
trap 'kill $app 2>/dev/null || true; nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true' EXIT
base="https://localhost:$tls_port"
for _ in $(seq 100); do curl -skf --resolve "localhost:$tls_port:127.0.0.1" "$base/healthz" >/dev/null && break; sleep 0.1; done
curl() { command curl -sk --resolve "localhost:$tls_port:127.0.0.1" "$@"; }
headers=$(curl -D - -o /dev/null "$base/signin")
grep -qi '^strict-transport-security: max-age=' <<<"$headers" || { echo "FAILED: no HSTS over TLS"; exit 1; }
csrf=$(curl -c "$work/jar" "$base/signup" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
signup=$(curl -b "$work/jar" -c "$work/jar" -D - -o /dev/null \
    -d "csrf=$csrf&name=TLS&email=tls%40example.org&password=correct+horse+battery&role=patient" "$base/signup")
grep -qi '^set-cookie: epsom_session=.*; *secure' <<<"$signup" || { echo "FAILED: the session cookie is not Secure"; echo "$signup"; exit 1; }
grep -q 'epsom_session' "$work/jar" || { echo "FAILED: no session through the proxy"; exit 1; }
page=$(curl -b "$work/jar" "$base/")
grep -q 'How was the day?' <<<"$page" || { echo "FAILED: the signed-in page through the proxy"; exit 1; }
echo "TLS through nginx: HSTS sent, Secure session cookie, signed-in page served"
