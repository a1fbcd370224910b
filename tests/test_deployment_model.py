"""The deployment model: Dockerfiles, compose, Kubernetes and Helm, Procfiles, systemd,
proxies, Terraform, Serverless, release recipes, platform files and `.env` examples."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.model import SystemModel
from syspatterns.model.ci import load_yaml
from syspatterns.model.deployment import (
    TEMPLATED,
    Deployment,
    K8sObject,
    load_deployment_table,
    read_deployment,
)
from syspatterns.model.deployment.compose import read_compose
from syspatterns.model.deployment.docker import read_dockerfile
from syspatterns.model.deployment.infrastructure import (
    read_env_example,
    read_homebrew_formula,
    read_pyinstaller_spec,
    read_terraform,
)
from syspatterns.model.deployment.kubernetes import neutralise_helm, read_k8s_object
from syspatterns.model.deployment.metrics import mounted_sources, read_prometheus_config
from syspatterns.model.deployment.processes import (
    read_apache,
    read_nginx,
    read_procfile,
    read_systemd_unit,
)

Analyse = Callable[..., SystemModel]


def deployment_of(analyse_repo: Analyse, files: dict[str, str | bytes]) -> Deployment:
    return read_deployment(analyse_repo(files))


# --- Dockerfile -------------------------------------------------------------------------------

DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG PY=3.12
FROM python:${PY}-slim AS build
ENV PIP_NO_CACHE_DIR=1
RUN pip install --upgrade pip \\
    # a comment inside a continuation
    && pip wheel . -w /wheels
EXPOSE 9999

FROM build AS runtime
ENV APP_ENV="production ready" LEGACY=1
ENV OLD legacy form
USER app
EXPOSE 8000/tcp
HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost:8000/health || exit 1
RUN <<EOF
FROM not-a-stage
EOF
ENTRYPOINT ["gunicorn"]
CMD ["app:create_app()", "--bind", "0.0.0.0:8000"]
"""


def test_dockerfile_stages_and_the_final_stage() -> None:
    found = read_dockerfile("Dockerfile", DOCKERFILE)
    assert [(s.name, s.base, s.evidence.line) for s in found.stages] == [
        ("build", "python:${PY}-slim", 3), ("runtime", "build", 10)]
    assert [p.value for p in found.exposed] == ["9999", "8000/tcp"]  # inherited from `build`
    assert found.user is not None and (found.user.value, found.user.evidence.line) == ("app", 13)
    assert found.entrypoint is not None and found.entrypoint.value == "gunicorn"
    assert found.command is not None and found.command.value == (
        "app:create_app() --bind 0.0.0.0:8000")
    assert found.healthcheck is not None
    assert (found.healthcheck.command, found.healthcheck.interval) == (
        "curl -f http://localhost:8000/health || exit 1", "30s")
    assert [(v.name, v.value, v.evidence.line) for v in found.env] == [
        ("PIP_NO_CACHE_DIR", "1", 4), ("APP_ENV", "production ready", 11), ("LEGACY", "1", 11),
        ("OLD", "legacy form", 12)]


def test_a_stage_from_an_image_inherits_nothing() -> None:
    found = read_dockerfile("Dockerfile", "FROM a AS one\nUSER x\nCMD run\nFROM b\nEXPOSE 1\n"
                            "HEALTHCHECK NONE\n")
    assert found.user is None and found.command is None and found.healthcheck is None
    assert [p.value for p in found.exposed] == ["1"]


def test_an_entrypoint_resets_an_inherited_command() -> None:
    found = read_dockerfile("Dockerfile", "FROM a AS one\nCMD serve\nFROM one\nENTRYPOINT x\n")
    assert found.command is None and found.entrypoint is not None


def test_a_file_without_from_has_no_stages() -> None:
    assert read_dockerfile("Dockerfile", "# only a comment\nRUN echo\n").stages == ()


# --- compose ----------------------------------------------------------------------------------

COMPOSE = """\
x-env: &env
  DATABASE_URL: postgres://db/app
services:
  web:
    build:
      context: ..
      dockerfile: docker/Dockerfile
    command: ["gunicorn", "app:app"]
    ports:
      - "8000:8000"
      - target: 9000
        published: 19000
    environment:
      <<: *env
      SECRET: ${SECRET:?set it}
    env_file: .env
    depends_on:
      db:
        condition: service_healthy
    labels:
      - traefik.http.routers.web.rule=Host(`example.com`)
      - traefik.enable=true
    deploy:
      replicas: 3
    restart: always
  db:
    image: postgres:16
    environment:
      - POSTGRES_PASSWORD=secret
      - EMPTY
    volumes:
      - data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready"]
      interval: 5s
  worker:
    image: app
    depends_on: [db]
    healthcheck:
      disable: true
"""


def test_compose_services() -> None:
    [document] = load_yaml(COMPOSE)
    found = read_compose("docker-compose.yml", document)
    assert found is not None
    web, db, worker = found.services
    assert (web.name, web.evidence.line, web.build, web.dockerfile) == (
        "web", 4, "..", "docker/Dockerfile")
    assert web.command is not None and web.command.value == "gunicorn app:app"
    assert [(p.value, p.evidence.line) for p in web.ports] == [("8000:8000", 10),
                                                                 ("19000:9000", 11)]
    assert [(v.name, v.value) for v in web.environment] == [
        ("DATABASE_URL", "postgres://db/app"), ("SECRET", "${SECRET:?set it}")]
    assert [e.value for e in web.env_files] == [".env"]
    assert [(d.service, d.condition) for d in web.depends_on] == [("db", "service_healthy")]
    assert [r.value for r in web.routes] == ["Host(`example.com`)"]
    assert (web.replicas, web.restart) == ("3", "always")
    assert db.image == "postgres:16" and [v.value for v in db.volumes] == [
        "data:/var/lib/postgresql/data"]
    assert [(v.name, v.value) for v in db.environment] == [
        ("POSTGRES_PASSWORD", "secret"), ("EMPTY", "")]
    assert db.healthcheck is not None and (db.healthcheck.command, db.healthcheck.interval,
                                           db.healthcheck.evidence.line) == (
        "pg_isready", "5s", 33)
    assert [(d.service, d.condition) for d in worker.depends_on] == [("db", "service_started")]
    assert worker.healthcheck is None


def test_yaml_that_is_not_a_compose_file_is_ignored() -> None:
    assert read_compose("docker-compose.yml", {"version": "3"}) is None
    assert read_compose("docker-compose.yml", ["a"]) is None


# --- Kubernetes and Helm ----------------------------------------------------------------------

MANIFESTS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, tier: api}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.2
          ports: [{containerPort: 8000}]
          env:
            - name: MODE
              value: prod
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
          livenessProbe:
            httpGet: {path: /healthz, port: 8000}
            periodSeconds: 10
          readinessProbe:
            exec:
              command: [cat, /tmp/ready]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
    - http:
        paths:
          - backend:
              service: {name: web, port: {number: 80}}
---
just: a mapping
"""


def objects(text: str, path: str = "k8s/web.yaml") -> list[K8sObject]:
    return [o for d in load_yaml(text) if (o := read_k8s_object(path, d, False)) is not None]


def test_kubernetes_workloads_services_autoscalers_and_ingresses() -> None:
    deployment, service, hpa, ingress = objects(MANIFESTS)
    assert (deployment.kind, deployment.name, deployment.evidence.line) == (
        "Deployment", "web", 2)
    assert deployment.replicas is not None and deployment.replicas.value == "3"
    assert deployment.strategy is not None and deployment.strategy.value == (
        "RollingUpdate (maxSurge 1, maxUnavailable 0)")
    assert deployment.revision_history_limit is not None
    assert deployment.labels == (("app", "web"), ("tier", "api"))
    [container] = deployment.containers
    assert (container.name, container.image, container.ports) == (
        "web", "ghcr.io/acme/web:1.2", ("8000",))
    assert [(v.name, v.value) for v in container.env] == [
        ("MODE", "prod"), ("DB_PASSWORD", "from secret db")]
    assert [(p.kind, p.check, p.evidence.line) for p in container.probes] == [
        ("liveness", "HTTP GET `/healthz` on port `8000`, every 10s", 29),
        ("readiness", "command `cat /tmp/ready`", 32)]
    assert service.selector == (("app", "web"),)
    assert (hpa.target, hpa.min_replicas.value if hpa.min_replicas else "",
            hpa.max_replicas.value if hpa.max_replicas else "") == ("Deployment/web", "2", "10")
    assert [b.value for b in ingress.backends] == ["web"]


def test_a_cronjob_reaches_its_pod_template() -> None:
    [cron] = objects("kind: CronJob\nmetadata: {name: nightly}\nspec:\n  jobTemplate:\n"
                     "    spec:\n      template:\n        spec:\n          containers:\n"
                     "            - {name: task, image: app}\n")
    assert [c.image for c in cron.containers] == ["app"]


def test_helm_actions_are_neutralised_line_for_line() -> None:
    template = (
        "{{- /*\nA comment\n*/}}\n"
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  name: {{ include \"chart.fullname\" . }}\n"
        "  labels:\n"
        "    {{- include \"chart.labels\" . | nindent 4 }}\n"
        "spec:\n"
        "  {{- if not .Values.autoscaling.enabled }}\n"
        "  replicas: {{ .Values.replicaCount }}\n"
        "  {{- end }}{{- end }}\n"
        "  strategy:\n"
        "    {{- toYaml .Values.strategy | nindent 4 }}\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: app\n"
        "          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n"
        "          livenessProbe:\n"
        "            {{- toYaml .Values.livenessProbe | nindent 12 }}\n")
    neutral = neutralise_helm(template)
    assert neutral.count("\n") == template.count("\n")
    [document] = load_yaml(neutral)
    found = read_k8s_object("chart/templates/deployment.yaml", document, True)
    assert found is not None and found.templated
    assert found.name == '{{ include chart.fullname . }}'
    assert found.replicas is not None and found.replicas.value == "{{ .Values.replicaCount }}"
    assert found.replicas.evidence.line == 12
    assert found.strategy is not None and found.strategy.value == TEMPLATED
    [container] = found.containers
    assert container.image == "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
    assert [(p.kind, p.check) for p in container.probes] == [("liveness", TEMPLATED)]


def test_a_plain_manifest_with_an_empty_key_is_not_templated() -> None:
    [found] = objects("kind: Deployment\nmetadata: {name: a}\nspec:\n  strategy:\n"
                      "  template:\n    spec:\n      containers:\n"
                      "        - {name: a, image: a, livenessProbe: }\n")
    assert found.strategy is None and found.containers[0].probes == ()


def test_kubernetes_and_helm_files_in_a_repository(analyse_repo: Analyse) -> None:
    found = deployment_of(analyse_repo, {
        "k8s/web.yaml": MANIFESTS,
        "deploy/extra.yaml": "kind: ConfigMap\nmetadata: {name: settings}\n",
        "config/other.yaml": "kind: ConfigMap\nmetadata: {name: ignored}\n",
        "charts/app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
        "charts/app/values.yaml": ("replicaCount: 2\nautoscaling:\n  enabled: false\n"
                                   "  maxReplicas: 5\nimage:\n  repository: acme/app\n"
                                   "livenessProbe:\n  httpGet: {path: /}\n"),
        "charts/app/templates/nested/svc.yaml": (
            "kind: Service\nmetadata:\n  name: {{ .Release.Name }}\n"),
        "charts/app/templates/broken.yaml": "kind: Service\n  bad: [\n{{ x }}\n",
    })
    assert sorted((o.kind, o.name) for o in found.k8s_objects) == [
        ("ConfigMap", "settings"), ("Deployment", "web"), ("HorizontalPodAutoscaler", "web"),
        ("Ingress", "web"), ("Service", "web"), ("Service", "{{ .Release.Name }}")]
    [chart] = found.helm_charts
    assert (chart.name, chart.version) == ("app", "1.0.0")
    assert [(k, v.value, v.evidence.line) for k, v in chart.values] == [
        ("replicaCount", "2", 1), ("autoscaling.enabled", "false", 3),
        ("autoscaling.maxReplicas", "5", 4), ("image.repository", "acme/app", 6),
        ("livenessProbe", "set", 7)]
    [note] = found.notes
    assert note.evidence.path == "charts/app/templates/broken.yaml"
    assert note.reason.startswith("Helm template skipped")


# --- Procfile, systemd, proxies, Terraform ----------------------------------------------------

def test_procfile_process_types() -> None:
    found = read_procfile("Procfile", "web: gunicorn app:app\n# comment\nrelease: ./manage.py "
                          "migrate\nnot a process\n")
    assert [(p.name, p.command, p.evidence.line) for p in found] == [
        ("web", "gunicorn app:app", 1), ("release", "./manage.py migrate", 3)]


def test_systemd_unit() -> None:
    found = read_systemd_unit("deploy/app.service", (
        "[Unit]\nDescription=The app\n\n[Service]\nUser=app\n"
        "Environment=\"A=1\" B=2\nExecStart=/srv/venv/bin/gunicorn app:app\nRestart=always\n"))
    assert found is not None and found.description == "The app"
    assert found.exec_start is not None and found.exec_start.evidence.line == 7
    assert found.user is not None and found.user.value == "app"
    assert [(v.name, v.value) for v in found.environment] == [("A", "1"), ("B", "2")]
    assert read_systemd_unit("x.service", "[Unit]\nDescription=no service section\n") is None


def test_nginx_upstreams_routes_listens_and_tls() -> None:
    found = read_nginx("nginx.conf", (
        "upstream app { server web:8000; server web2:8000; }\n"
        "server {\n"
        "  listen 443 ssl; # comment with proxy_pass ignored\n"
        "  location /api/ {\n"
        "    proxy_pass http://app;\n"
        "  }\n"
        "}\n"))
    assert [(u[0], u[1]) for u in found.upstreams] == [("app", ("web:8000", "web2:8000"))]
    assert [(r.location, r.target, r.evidence.line) for r in found.routes] == [
        ("/api/", "http://app", 5)]
    assert [s.value for s in found.listens] == ["443 ssl"]
    assert found.tls is not None and found.tls.line == 3
    plain = read_nginx("nginx.conf", "server { listen 80; }\n")
    assert plain.tls is None and plain.routes == ()


def test_apache_proxy_and_tls() -> None:
    found = read_apache("httpd.conf", (
        "<VirtualHost *:443>\n  SSLEngine on\n  ProxyPass /app http://127.0.0.1:8000/\n"
        "  <Proxy balancer://cluster>\n    BalancerMember http://a:1\n  </Proxy>\n"
        "</VirtualHost>\n"))
    assert [r.target for r in found.routes] == ["http://127.0.0.1:8000/"]
    assert found.tls is not None and found.tls.line == 2
    assert [(u[0], u[1]) for u in found.upstreams] == [("balancer://cluster", ("http://a:1",))]
    assert read_apache("httpd.conf", "SSLEngine off\n").tls is None


def test_terraform_blocks() -> None:
    found = read_terraform("main.tf", (
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'resource "aws_instance" "web" {\n}\n'
        'data "aws_ami" "ubuntu" {}\n'
        'module "vpc" {\n  source = "x"\n}\n'
        '# resource "aws_s3_bucket" "commented" {\n'))
    assert [(b.block, b.type, b.name, b.evidence.line) for b in found] == [
        ("provider", "", "aws", 1), ("resource", "aws_instance", "web", 4),
        ("data", "aws_ami", "ubuntu", 6), ("module", "", "vpc", 7)]


# --- release recipes, platforms, .env ---------------------------------------------------------

def test_pyinstaller_spec_and_not_an_rpm_spec() -> None:
    spec = read_pyinstaller_spec("app.spec", (
        "# -*- mode: python -*-\na = Analysis(['app.py'])\n"
        "exe = EXE(pyz, a.scripts, a.binaries, name='tool')\n"))
    assert spec is not None and (spec.tool, spec.name, spec.evidence.line) == (
        "PyInstaller", "tool", 2)
    assert spec.detail == "one-file executable"
    assert read_pyinstaller_spec("pkg.spec", "Name: pkg\nVersion: 1\n%build\n") is None


def test_homebrew_formula_and_not_other_ruby() -> None:
    formula = read_homebrew_formula("Formula/tool.rb", (
        "class Tool < Formula\n  include Language::Python::Virtualenv\nend\n"))
    assert formula is not None and formula.name == "Tool"
    assert formula.detail == "installs into a Python virtualenv"
    assert read_homebrew_formula("Formula/x.rb", "class X < Base\nend\n") is None


def test_env_examples() -> None:
    found = read_env_example(".env.example", (
        "# comment\nA=1\nexport B='two words'\nEMPTY=\nnot a variable\n"))
    assert [(v.name, v.value, v.evidence.line) for v in found.variables] == [
        ("A", "1", 2), ("B", "two words", 3), ("EMPTY", "", 4)]


def test_release_recipes_platforms_and_serverless(analyse_repo: Analyse) -> None:
    found = deployment_of(analyse_repo, {
        "snapcraft.yaml": "name: tool\nbase: core22\nconfinement: strict\n",
        ".goreleaser.yaml": "project_name: tool\nbuilds: [{}]\nbrews: [{}]\n",
        "Formula/tool.rb": "class Tool < Formula\nend\n",
        "tool.spec": "a = Analysis(['x.py'])\n",
        "fly.toml": "app = 'x'\n",
        "app.yaml": "runtime: python312\n",
        "other/app.yaml": "name: not app engine\n",
        "butterfly.toml": "",
        "serverless.yml": ("service: api\nprovider:\n  name: aws\n  runtime: python3.12\n"
                           "functions:\n  hello:\n    handler: handler.hello\n    events:\n"
                           "      - httpApi:\n          path: /hello\n          method: get\n"),
        "Procfile": "web: gunicorn app:app\n",
        ".env.example": "A=1\n",
    })
    assert [(r.tool, r.name, r.detail) for r in found.releases] == [
        ("GoReleaser", "tool", "builds, brews"), ("Homebrew", "Tool", ""),
        ("snapcraft", "tool", "base core22, confinement strict"),
        ("PyInstaller", "", "")]
    assert [(p.path, p.platform) for p in found.platforms] == [
        ("app.yaml", "Google App Engine configuration"),
        ("fly.toml", "Fly.io application configuration")]
    [config] = found.serverless
    assert (config.service, config.provider, config.runtime) == ("api", "aws", "python3.12")
    assert [(f.name, f.handler, f.events) for f in config.functions] == [
        ("hello", "handler.hello", ("httpApi get /hello",))]
    assert [p.name for p in found.processes] == ["web"]
    assert [e.path for e in found.env_examples] == [".env.example"]


def test_test_data_and_package_data_are_passed_over(analyse_repo: Analyse) -> None:
    found = deployment_of(analyse_repo, {
        "tests/fixtures/nginx.conf": "server { listen 80; }\n",
        "integration-tests/Dockerfile": "FROM python\n",
        "app/__init__.py": "",
        "app/templates/nginx.conf": "server { listen 80; }\n",
        "deploy/nginx.conf": "server { listen 443 ssl; }\n",
    })
    assert [p.path for p in found.proxies] == ["deploy/nginx.conf"]
    assert found.dockerfiles == ()
    assert found.passed_over == ("app/templates/nginx.conf", "integration-tests/Dockerfile",
                                 "tests/fixtures/nginx.conf")


def test_unreadable_and_huge_files_become_notes(analyse_repo: Analyse) -> None:
    found = deployment_of(analyse_repo, {
        "docker-compose.yml": "services: [unclosed\n",
        "Procfile": "web: " + "x" * 1_100_000 + "\n",
    })
    reasons = {n.evidence.path: n.reason for n in found.notes}
    assert "not valid YAML" in reasons["docker-compose.yml"]
    assert reasons["Procfile"].startswith("larger than")
    assert found.compose_files == () and found.processes == ()


def test_a_repository_without_deployment_files(analyse_repo: Analyse) -> None:
    found = deployment_of(analyse_repo, {"lib/__init__.py": "", "README.md": "# lib\n"})
    assert found.is_empty and found.notes == ()


def test_read_deployment_is_computed_once_per_model(analyse_repo: Analyse) -> None:
    model = analyse_repo({"Dockerfile": "FROM python\n"})
    assert read_deployment(model) is read_deployment(model)


def test_monitoring_images_are_recognised_by_name() -> None:
    table = load_deployment_table()
    assert table.monitoring_image("prom/prometheus:v2.50") == "Prometheus"
    assert table.monitoring_image("registry:5000/grafana/grafana") is None
    assert table.monitoring_image("grafana/grafana-oss@sha256:abc") == "Grafana"
    assert table.monitoring_image("postgres:16") is None


# --- what Prometheus scrapes ------------------------------------------------------------------

SCRAPED = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    prometheus.io/scrape: "true"
spec:
  template:
    metadata:
      labels: {app: web}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "8000"
    spec:
      containers: [{name: web, image: web}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web, tier: api}
  annotations: {prometheus.io/scrape: "false"}
spec:
  selector: {app: web}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web}
  endpoints:
    - port: metrics
      path: /metrics
      interval: 30s
    - targetPort: 9000
"""


def test_annotations_labels_and_monitor_endpoints() -> None:
    deployment, service, monitor = objects(SCRAPED)
    assert [(k, v.value, v.evidence.line) for k, v in deployment.annotations] == [
        ("prometheus.io/scrape", "true", 6)]
    assert [(k, v.value, v.evidence.line) for k, v in deployment.pod_annotations] == [
        ("prometheus.io/scrape", "true", 12), ("prometheus.io/port", "8000", 13)]
    assert service.object_labels == (("app", "web"), ("tier", "api"))
    assert [(k, v.value) for k, v in service.annotations] == [("prometheus.io/scrape", "false")]
    assert service.pod_annotations == () and deployment.scrape_endpoints == ()
    assert monitor.api_version == "monitoring.coreos.com/v1"
    assert monitor.selector == (("app", "web"),)
    assert [(e.port, e.path, e.interval, e.evidence.line) for e in monitor.scrape_endpoints] == [
        ("metrics", "/metrics", "30s", 33), ("9000", "", "", 36)]


PROMETHEUS = """\
global: {scrape_interval: 15s}
scrape_configs:
  - job_name: app
    metrics_path: /internal/metrics
    scrape_interval: 5s
    static_configs:
      - targets: ["app:8000", "worker:8001"]
  # - job_name: disabled
  #   static_configs: [{targets: ["old:1"]}]
  - job_name: pods
    kubernetes_sd_configs:
      - role: pod
"""


def test_prometheus_configuration_jobs() -> None:
    config = read_prometheus_config("monitoring/prometheus.yml", load_yaml(PROMETHEUS)[0])
    assert config is not None and config.evidence.line == 2
    app, pods = config.jobs
    assert (app.name, app.metrics_path, app.interval, app.evidence.line) == (
        "app", "/internal/metrics", "5s", 3)
    assert [(t.value, t.evidence.line) for t in app.targets] == [("app:8000", 7),
                                                                 ("worker:8001", 7)]
    assert (pods.name, pods.targets, pods.discovery) == (
        "pods", (), ("kubernetes_sd_configs (role pod)",))
    rules = load_yaml("groups:\n  - name: a\n    rules: []\n")[0]
    assert read_prometheus_config("prometheus-rules.yml", rules) is None


def test_mounted_sources_are_repository_paths() -> None:
    found = read_compose("ops/compose.yml", load_yaml(
        "services:\n  prometheus:\n    image: prom/prometheus\n    volumes:\n"
        "      - ./prometheus/prom.yml:/etc/prometheus/prometheus.yml:ro\n"
        "      - ../shared:/shared\n      - ../../outside:/x\n      - data:/prometheus\n"
        "      - /etc/hosts:/etc/hosts\n      - ${PWD}/x.yml:/x.yml\n")[0])
    assert found is not None
    [service] = found.services
    assert [(p, v.evidence.line) for p, v in mounted_sources("ops/compose.yml", service)] == [
        ("ops/prometheus/prom.yml", 5), ("shared", 6)]


def test_prometheus_configurations_in_a_repository(analyse_repo: Analyse) -> None:
    found = deployment_of(analyse_repo, {
        "docker-compose.yml": ("services:\n  prometheus:\n    image: prom/prometheus:v2\n"
                               "    volumes: ['./ops/scrape.yml:/etc/prometheus/prometheus.yml']\n"
                               "  app:\n    image: app\n"
                               "    volumes: ['./ops/app.yml:/etc/app.yml']\n"),
        "ops/scrape.yml": PROMETHEUS,
        "ops/app.yml": PROMETHEUS,
        "monitoring/prometheus.yaml": PROMETHEUS,
        "monitoring/prometheus-rules.yml": "groups: []\n",
        "deploy/prometheus.yml": "kind: ConfigMap\nmetadata: {name: prometheus}\n",
        "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        "chart/templates/prometheus.yaml": "scrape_configs: {{ .Values.jobs }}\n",
    })
    assert [c.path for c in found.prometheus_configs] == ["monitoring/prometheus.yaml",
                                                          "ops/scrape.yml"]
    assert found.notes == ()


def test_scrape_kinds_are_monitoring_kinds() -> None:
    table = load_deployment_table()
    kinds = [kind for kind, _ in table.scrape_endpoints]
    assert kinds == ["PodMonitor", "ServiceMonitor"]
    assert set(kinds) <= table.monitoring_kinds
    assert table.scrape_key("PrometheusRule") is None
