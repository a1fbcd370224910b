"""Where TLS is terminated, as the deployment files say it: nginx and Apache directives,
Traefik static configuration, compose command-line flags and labels, Kubernetes Ingress and
Route `spec.tls`, cert-manager annotations and kinds; and the Environment setup findings."""

from __future__ import annotations

import tomllib
from collections.abc import Callable

from syspatterns.analysers.deployment import DeploymentAnalyser
from syspatterns.core.evidence import Finding
from syspatterns.model import SystemModel
from syspatterns.model.ci import load_yaml
from syspatterns.model.deployment import TEMPLATED, K8sObject, TlsSetting
from syspatterns.model.deployment.compose import read_compose
from syspatterns.model.deployment.kubernetes import neutralise_helm, read_k8s_object
from syspatterns.model.deployment.processes import read_apache, read_nginx, read_traefik

Analyse = Callable[..., SystemModel]
SETUP = "Environment setup"


def facts(settings: tuple[TlsSetting, ...]) -> list[tuple[str, str, str, str, int]]:
    return [(s.fact, s.about, s.name, s.shown, s.evidence.line) for s in settings]


def objects(text: str, templated: bool = False) -> list[K8sObject]:
    if templated:
        text = neutralise_helm(text)
    return [o for d in load_yaml(text)
            if (o := read_k8s_object("k8s/app.yaml", d, templated)) is not None]


def setup_claims(analyse_repo: Analyse, files: dict[str, str | bytes]) -> list[Finding]:
    section = DeploymentAnalyser().analyse(analyse_repo(files))
    return [f for f in section.findings if f.aspect == SETUP]


# --- nginx and Apache -------------------------------------------------------------------------

def test_nginx_listeners_certificates_and_redirects() -> None:
    found = read_nginx("deploy/nginx.conf", (
        "server {\n"
        "  listen 80;\n"
        "  # listen 443 ssl;\n"
        "  return 301 https://$host$request_uri;\n"
        "}\n"
        "server {\n"
        "  listen 443 ssl http2;\n"
        "  ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;\n"
        "  ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;\n"
        "  location /api/ { proxy_pass https://api; proxy_ssl_certificate /etc/client.pem; }\n"
        "  location /old { return 301 http://example.com/new; }\n"
        "  location /ping { return 200 'https://example.com'; }\n"
        "  rewrite ^/docs$ https://docs.example.com permanent;\n"
        "}\n"))
    assert facts(found.tls_settings) == [
        ("redirect", "", "", "return 301 https://$host$request_uri", 4),
        ("listener", "", "", "listen 443 ssl http2", 7),
        ("certificate", "", "", "ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem",
         8),
        ("redirect", "", "", "rewrite ^/docs$ https://docs.example.com permanent", 13)]
    assert found.tls is not None and found.tls.line == 7


def test_nginx_without_tls_has_no_tls_settings() -> None:
    found = read_nginx("nginx.conf", (
        "# ssl_certificate /etc/ssl/cert.pem;\n"
        "server {\n  listen 8443;\n  server_name tls.example.com;\n"
        "  return 301 /login;\n  ssl off;\n}\n"))
    assert found.tls_settings == () and found.tls is None


def test_apache_engine_certificate_and_redirects() -> None:
    found = read_apache("deploy/httpd.conf", (
        "<VirtualHost *:80>\n"
        "  Redirect permanent / https://example.com/\n"
        "  Redirect /old /new\n"
        "</VirtualHost>\n"
        "<VirtualHost *:443>\n"
        "  # SSLEngine on\n"
        "  sslengine On\n"
        "  SSLProxyEngine on\n"
        "  SSLCertificateFile /etc/ssl/certs/example.pem\n"
        "  RewriteRule ^(.*)$ https://%{HTTP_HOST}$1 [R=301,L]\n"
        "  RewriteRule ^/a$ /b [L]\n"
        "</VirtualHost>\n"))
    assert facts(found.tls_settings) == [
        ("redirect", "", "", "redirect permanent / https://example.com/", 2),
        ("listener", "", "", "sslengine On", 7),
        ("certificate", "", "", "sslcertificatefile /etc/ssl/certs/example.pem", 9),
        ("redirect", "", "", "rewriterule ^(.*)$ https://%{HTTP_HOST}$1 [R=301,L]", 10)]
    assert read_apache("httpd.conf", "SSLEngine off\nSSLProxyEngine on\n").tls_settings == ()


# --- Traefik ----------------------------------------------------------------------------------

TRAEFIK_YAML = """\
entryPoints:
  web:
    address: ":80"
    http:
      redirections:
        entryPoint:
          to: websecure
          scheme: https
  websecure:
    address: ":443"
    http:
      tls:
        certResolver: le
  metrics:
    address: ":8082"
# tls: {}
certificatesResolvers:
  le:
    acme:
      email: ops@example.com
      storage: /letsencrypt/acme.json
      httpChallenge:
        entryPoint: web
log:
  level: INFO
"""


def test_traefik_static_configuration() -> None:
    [data] = load_yaml(TRAEFIK_YAML)
    found = read_traefik("traefik.yml", data)
    assert found is not None
    assert facts(found.tls_settings) == [
        ("redirect", "entry point", "web", "http.redirections.entryPoint.to=websecure", 7),
        ("redirect", "entry point", "web", "http.redirections.entryPoint.scheme=https", 8),
        ("listener", "entry point", "websecure", "http.tls.certResolver=le", 13),
        ("issuer", "certificate resolver", "le", "acme.email=ops@example.com", 20),
        ("issuer", "certificate resolver", "le", "acme.storage=/letsencrypt/acme.json", 21),
        ("issuer", "certificate resolver", "le", "acme.httpChallenge.entryPoint=web", 23)]
    assert [s.value for s in found.listens] == ["web :80", "websecure :443", "metrics :8082"]
    plain = read_traefik("traefik.yml", load_yaml(
        "entryPoints:\n  web: {address: ':80'}\napi: {dashboard: true}\n"
        "providers: {docker: {exposedByDefault: false}}\n")[0])
    assert plain is not None and plain.tls_settings == () and plain.tls is None


def test_traefik_toml_settings_keep_their_lines() -> None:
    text = ('[entryPoints.websecure]\n  address = ":443"\n'
            '[entryPoints.websecure.http.tls]\n  certResolver = "le"\n\n'
            '# [certificatesResolvers.old.acme]\n'
            '[certificatesResolvers.le.acme]\n  email = "ops@example.com"\n'
            '  [certificatesResolvers.le.acme.tlsChallenge]\n')
    found = read_traefik("traefik.toml", tomllib.loads(text), text)
    assert found is not None
    assert facts(found.tls_settings) == [
        ("listener", "entry point", "websecure", "http.tls.certResolver=le", 4),
        ("issuer", "certificate resolver", "le", "acme.email=ops@example.com", 8),
        ("issuer", "certificate resolver", "le", "acme.tlsChallenge", 9)]
    assert [(s.value, s.evidence.line) for s in found.listens] == [("websecure :443", 1)]


COMPOSE = """\
services:
  proxy:
    image: traefik:v3
    command:
      - --providers.docker
      # - --entrypoints.websecure.http.tls=true
      - --entrypoints.web.address=:80
      - --entrypoints.websecure.address=:443
      - --entrypoints.web.http.redirections.entrypoint.to=websecure
      - --certificatesresolvers.le.acme.email=ops@example.com
  app:
    image: app
    labels:
      - traefik.http.routers.app.rule=Host(`example.com`)
      - traefik.http.routers.app.tls=true
      - traefik.http.routers.app.tls.certresolver=le
      - traefik.http.routers.tls-docs.rule=Host(`docs.example.com`)
      - traefik.http.routers.plain.tls=false
      - com.example.tls=true
  api:
    image: api
    command: --entrypoints.admin.http.tls --log.level=INFO
    labels:
      traefik.http.routers.api.tls.certresolver: le
"""


def test_compose_traefik_flags_and_labels() -> None:
    found = read_compose("compose.yml", load_yaml(COMPOSE)[0])
    assert found is not None
    proxy, app, api = found.services
    assert facts(proxy.tls) == [
        ("redirect", "entry point", "web", "http.redirections.entrypoint.to=websecure", 9),
        ("issuer", "certificate resolver", "le", "acme.email=ops@example.com", 10)]
    assert facts(app.tls) == [("listener", "router", "app", "tls=true", 15),
                              ("listener", "router", "app", "tls.certresolver=le", 16)]
    assert facts(api.tls) == [("listener", "entry point", "admin", "http.tls", 22),
                              ("listener", "router", "api", "tls.certresolver=le", 24)]


def test_compose_services_without_tls_settings() -> None:
    found = read_compose("compose.yml", load_yaml(
        "services:\n  web:\n    image: web\n    command: [serve, --tls-cert=/x.pem]\n"
        "    labels: [traefik.http.routers.web.rule=Host(`tls.example.com`)]\n")[0])
    assert found is not None and found.services[0].tls == ()


# --- Kubernetes -------------------------------------------------------------------------------

MANIFESTS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt-prod
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    example.com/tls-note: "see the runbook"
spec:
  tls:
    - hosts: [example.com, www.example.com]
      secretName: web-tls
    - hosts: [api.example.com]
  rules: []
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: plain
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
spec:
  rules: []
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web}
spec:
  secretName: web-tls
  dnsNames: [example.com]
  issuerRef: {name: letsencrypt-prod, kind: ClusterIssuer}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: letsencrypt-prod}
spec:
  acme:
    server: https://acme-v02.api.letsencrypt.org/directory
    email: ops@example.com
---
apiVersion: acm.services.k8s.aws/v1alpha1
kind: Certificate
metadata: {name: other}
spec: {domainName: example.com}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {tls: "true"}
---
apiVersion: route.openshift.io/v1
kind: Route
metadata: {name: web}
spec:
  to: {kind: Service, name: web}
  tls:
    termination: edge
    insecureEdgeTerminationPolicy: Redirect
"""


def test_kubernetes_ingress_cert_manager_and_route_tls() -> None:
    ingress, plain, certificate, issuer, other, config, route = objects(MANIFESTS)
    assert facts(ingress.tls) == [
        ("issuer", "", "", "cert-manager.io/cluster-issuer: letsencrypt-prod", 6),
        ("redirect", "", "", "nginx.ingress.kubernetes.io/ssl-redirect: true", 7),
        ("listener", "hosts", "example.com, www.example.com", "secretName: web-tls", 12),
        ("listener", "hosts", "api.example.com", "tls", 13)]
    assert plain.tls == () and other.tls == () and config.tls == ()
    assert facts(certificate.tls) == [
        ("certificate", "", "", "secretName: web-tls", 29),
        ("certificate", "", "", "dnsNames: example.com", 30),
        ("certificate", "", "", "issuerRef.name: letsencrypt-prod", 31)]
    assert facts(issuer.tls) == [
        ("issuer", "", "", "acme.server: https://acme-v02.api.letsencrypt.org/directory", 38),
        ("issuer", "", "", "acme.email: ops@example.com", 39)]
    assert facts(route.tls) == [
        ("listener", "", "", "termination: edge", 57),
        ("redirect", "", "", "insecureEdgeTerminationPolicy: Redirect", 58)]


def test_a_helm_template_that_writes_tls() -> None:
    template = ("kind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n"
                "  {{- with .Values.ingress.tls }}\n  tls:\n"
                "    {{- toYaml . | nindent 4 }}\n  {{- end }}\n  rules: []\n")
    [ingress] = objects(template, templated=True)
    assert facts(ingress.tls) == [("listener", "", "", f"tls: {TEMPLATED}", 6)]
    [plain] = objects("kind: Ingress\nmetadata: {name: a}\nspec:\n  tls:\n  rules: []\n")
    assert plain.tls == ()
    [database] = objects("kind: Database\nmetadata: {name: db}\nspec:\n  tls:\n"
                         "    {{- toYaml .Values.tls | nindent 4 }}\n", templated=True)
    assert database.tls == ()  # another kind's `tls` is not an Ingress's


# --- Environment setup ------------------------------------------------------------------------

def test_setup_tells_traefik_tls_of_each_compose_file(analyse_repo: Analyse) -> None:
    claims = setup_claims(analyse_repo, {"compose.yml": COMPOSE})
    [tls] = [f for f in claims if "TLS" in f.claim]
    assert tls.claim == (
        "Traefik TLS in `compose.yml`: service `proxy` redirects HTTP to HTTPS for entry point "
        "`web` (`http.redirections.entrypoint.to=websecure`) and obtains certificates "
        "automatically through certificate resolver `le` (`acme.email=ops@example.com`); "
        "service `app` terminates TLS for router `app` (`tls=true`, `tls.certresolver=le`); "
        "service `api` terminates TLS for entry point `admin` (`http.tls`) and terminates TLS "
        "for router `api` (`tls.certresolver=le`).")
    assert [str(e) for e in tls.evidence] == [
        "compose.yml:9", "compose.yml:10", "compose.yml:15", "compose.yml:16",
        "compose.yml:22", "compose.yml:24"]


def test_setup_tells_proxy_and_kubernetes_tls(analyse_repo: Analyse) -> None:
    claims = setup_claims(analyse_repo, {
        "deploy/nginx.conf": ("server {\n  listen 443 ssl;\n  ssl_certificate /etc/ssl/c.pem;\n"
                              "  location / { proxy_pass http://app:8000; }\n}\n"),
        "k8s/app.yaml": MANIFESTS,
        "traefik/traefik.yml": TRAEFIK_YAML,
    })
    [traefik] = [f for f in claims if f.claim.startswith("Traefik (")]
    assert traefik.claim == (
        "Traefik (`traefik/traefik.yml`) listens on `web :80`, `websecure :443`, "
        "`metrics :8082`; redirects HTTP to HTTPS for entry point `web` "
        "(`http.redirections.entryPoint.to=websecure`, "
        "`http.redirections.entryPoint.scheme=https`), terminates TLS for entry point "
        "`websecure` (`http.tls.certResolver=le`) and obtains certificates automatically "
        "through certificate resolver `le` (`acme.email=ops@example.com`, "
        "`acme.storage=/letsencrypt/acme.json`, `acme.httpChallenge.entryPoint=web`).")
    assert "traefik/traefik.yml:13" in [str(e) for e in traefik.evidence]
    [nginx] = [f for f in claims if f.claim.startswith("nginx")]
    assert nginx.claim == (
        "nginx (`deploy/nginx.conf`) listens on `443 ssl`; forwards `/` to `http://app:8000`; "
        "terminates TLS (`listen 443 ssl`) and uses a certificate "
        "(`ssl_certificate /etc/ssl/c.pem`).")
    assert "deploy/nginx.conf:3" in [str(e) for e in nginx.evidence]
    tls = {f.claim for f in claims if "TLS" in f.claim or "certificate" in f.claim}
    assert (
        "Kubernetes Ingress `web` (`k8s/app.yaml`) obtains certificates automatically "
        "(`cert-manager.io/cluster-issuer: letsencrypt-prod`), redirects HTTP to HTTPS "
        "(`nginx.ingress.kubernetes.io/ssl-redirect: true`), terminates TLS for hosts "
        "`example.com, www.example.com` (`secretName: web-tls`) and terminates TLS for hosts "
        "`api.example.com` (`tls`).") in tls
    assert ("Kubernetes Certificate `web` (`k8s/app.yaml`) declares a certificate "
            "(`secretName: web-tls`, `dnsNames: example.com`, "
            "`issuerRef.name: letsencrypt-prod`).") in tls
    assert ("Kubernetes ClusterIssuer `letsencrypt-prod` (`k8s/app.yaml`) issues certificates "
            "(`acme.server: https://acme-v02.api.letsencrypt.org/directory`, "
            "`acme.email: ops@example.com`).") in tls
    assert ("Kubernetes Route `web` (`k8s/app.yaml`) terminates TLS (`termination: edge`) and "
            "redirects HTTP to HTTPS (`insecureEdgeTerminationPolicy: Redirect`).") in tls
    assert not any("`plain`" in claim or "`other`" in claim for claim in tls)
    assert not any("TLS termination was not found" in claim for claim in tls)


def test_setup_says_a_templated_tls_depends_on_values(analyse_repo: Analyse) -> None:
    claims = setup_claims(analyse_repo, {
        "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
        "chart/templates/ingress.yaml": (
            "kind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n"
            "  {{- with .Values.ingress.tls }}\n  tls:\n"
            "    {{- toYaml . | nindent 4 }}\n  {{- end }}\n  rules: []\n"),
    })
    [tls] = [f for f in claims if "template action" in f.claim]
    assert tls.claim == (
        "Kubernetes Ingress `{{ .Release.Name }}` (Helm template) "
        "(`chart/templates/ingress.yaml`) leaves `tls` to a template action (whether it "
        "terminates TLS depends on the chart's values).")
    assert [str(e) for e in tls.evidence] == ["chart/templates/ingress.yaml:6"]


def test_tls_not_found_names_what_was_looked_for(analyse_repo: Analyse) -> None:
    claims = setup_claims(analyse_repo, {
        "Dockerfile": "FROM python:3.12\n# listen 443 ssl\nCMD [\"serve\", \"--tls\"]\n",
        "deploy/nginx.conf": "server {\n  listen 80;\n  # ssl_certificate /x.pem;\n}\n",
        "compose.yml": ("services:\n  web:\n    image: web\n    labels:\n"
                        "      - traefik.http.routers.web.rule=Host(`tls.example.com`)\n"
                        "      - traefik.http.routers.web.tls=false\n"),
    })
    assert not any(f.claim.startswith("Traefik TLS") for f in claims)
    [missing] = [f for f in claims if "TLS termination" in f.claim]
    assert missing.claim.startswith(
        "TLS termination was not found in the repository's deployment files: looked for nginx "
        "`listen ... ssl`, `ssl_certificate`")
    assert "Kubernetes Ingress and Route `spec.tls`" in missing.claim
    assert missing.evidence == ()
    [nginx] = [f for f in claims if f.claim.startswith("nginx")]
    assert nginx.claim.endswith("configures no TLS.")


def test_tls_is_not_looked_for_without_serving_files(analyse_repo: Analyse) -> None:
    without = setup_claims(analyse_repo, {"lib/__init__.py": ""})
    env_only = setup_claims(analyse_repo, {".env.example": "TLS_CERT=/x.pem\n"})
    assert not any("TLS termination" in f.claim for f in without + env_only)
