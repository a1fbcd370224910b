"""The Deployment Architecture section: its four aspects, the services diagram, and what it
says when something was looked for and not found."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from syspatterns.analysers.deployment import DeploymentAnalyser
from syspatterns.analysers.deployment.diagrams import compose_groups
from syspatterns.core.evidence import Finding, Section
from syspatterns.model import SystemModel
from syspatterns.model.ci import load_yaml
from syspatterns.model.deployment.compose import read_compose
from syspatterns.pipeline import run_analysis

Analyse = Callable[..., SystemModel]
ASPECTS = ("Environment setup", "Deployment process", "Monitoring", "Rollback strategy")
ORDERLY = Path(__file__).resolve().parents[1] / "examples" / "orderly"


def section_of(analyse_repo: Analyse, files: dict[str, str | bytes]) -> Section:
    return DeploymentAnalyser().analyse(analyse_repo(files))


def claims(section: Section, aspect: str) -> list[Finding]:
    return [f for f in section.findings if f.aspect == aspect]


def one(section: Section, aspect: str, text: str) -> Finding:
    found = [f for f in claims(section, aspect) if text in f.claim]
    assert len(found) == 1, [f.claim for f in claims(section, aspect)]
    return found[0]


def test_aspects_are_the_templates_in_order(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {"lib/__init__.py": ""})
    aspects = [f.aspect for f in section.findings]
    assert list(dict.fromkeys(aspects)) == list(ASPECTS)
    assert section.key == "deployment" and section.title == "Deployment Architecture"


def test_nothing_found_is_said_for_every_aspect(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {"lib/__init__.py": ""})
    assert section.summary == [] and section.diagrams == []
    assert "No deployment files were found" in claims(section, ASPECTS[0])[0].claim
    assert "No build, publish or deploy step was found" in claims(section, ASPECTS[1])[0].claim
    assert "No health check or metrics endpoint was found" in claims(
        section, ASPECTS[2])[0].claim
    assert "No rollback mechanism was found" in claims(section, ASPECTS[3])[0].claim


def test_every_finding_but_the_not_found_ones_has_evidence() -> None:
    section = DeploymentAnalyser().analyse(
        run_analysis(ORDERLY, use_cache=False, jobs=1).model)
    for finding in section.findings + section.summary:
        if not finding.evidence:
            assert re.search(r"\bnot\b|\bNo\b", finding.claim), finding.claim


def test_the_bundled_example() -> None:
    section = DeploymentAnalyser().analyse(
        run_analysis(ORDERLY, use_cache=False, jobs=1).model)
    docker = one(section, ASPECTS[0], "`Dockerfile` builds in 2 stages")
    assert "runs as user `orderly`" in docker.claim and "exposes port `8000`" in docker.claim
    assert "`uvicorn orderly.api.app:app" in docker.claim
    api = one(section, ASPECTS[0], "Compose service `api`")
    assert "starts after `migrate` (completed) and `redis` (healthy)" in api.claim
    assert "`.env.example` lists 21 variables" in one(section, ASPECTS[0], ".env.example").claim
    workflow = one(section, ASPECTS[1], "Workflow `ci`")
    assert "push (branches: main; tags: v*) and pull_request" in workflow.claim
    build = one(section, ASPECTS[1], "Job `build-and-push`")
    assert "`docker/build-push-action@v6`" in build.claim and "(build, publish)" in build.claim
    assert "only if `startsWith(github.ref, 'refs/tags/v')`" in build.claim
    migrate = one(section, ASPECTS[1], "applies database migrations")
    assert "`api` and `worker` wait for it (completed)" in migrate.claim
    assert "No deploy step was found" in one(section, ASPECTS[1], "No deploy step").claim
    health = one(section, ASPECTS[2], "HEALTHCHECK every 30s")
    assert "`http://127.0.0.1:8000/health`" in health.claim
    one(section, ASPECTS[2], "Compose service `postgres` is health-checked every 5s")
    one(section, ASPECTS[2], "rely on the HEALTHCHECK of the image built from `Dockerfile`")
    alembic = one(section, ASPECTS[3], "The only Alembic migration defines `downgrade()`")
    assert alembic.evidence[0].path == "migrations/versions/0001_create_orders.py"
    one(section, ASPECTS[3], "`orderly migrate && alembic downgrade base`")
    [diagram] = section.diagrams
    assert 's0 -->|"completed"| s1' in diagram.mermaid


def test_two_runs_are_identical(analyse_repo: Analyse, make_repo: Callable[..., Path]) -> None:
    root = make_repo({"docker-compose.yml": "services:\n  b: {image: b}\n  a: {image: a}\n"})
    first = DeploymentAnalyser().analyse(run_analysis(root, use_cache=False, jobs=1).model)
    second = DeploymentAnalyser().analyse(run_analysis(root, use_cache=False, jobs=1).model)
    assert first.to_json() == second.to_json()


def test_the_compose_diagram_quotes_labels(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {"docker-compose.yml": """
        services:
          web:
            image: 'acme/web:"quoted"<1>'
            depends_on: [db]
          db:
            image: postgres
    """})
    [diagram] = section.diagrams
    assert diagram.mermaid.splitlines() == [
        "flowchart LR",
        '  s0["web: acme/web:#quot;quoted#quot;#lt;1#gt;"]',
        '  s1["db: postgres"]',
        '  s0 -->|"started"| s1',
    ]


def test_one_service_draws_no_diagram(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {"compose.yaml": "services:\n  web: {image: web}\n"})
    assert section.diagrams == []


def test_overlays_are_described_against_their_base_file(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {
        "compose.yml": "services:\n  web: {image: web}\n  db: {image: postgres}\n",
        "compose.override.yml": ("services:\n  web:\n    ports: ['8000:8000']\n"
                                 "  mail: {image: mailpit}\n"),
        "compose.prod.yml": "services:\n  web: {restart: always}\n",
    })
    assert [d.caption.split("`")[1] for d in section.diagrams] == ["compose.yml"]
    override = one(section, ASPECTS[0], "`compose.override.yml` overlays `compose.yml`")
    assert "applies it automatically" in override.claim
    assert "adds `mail`; changes `web` (ports)" in override.claim
    one(section, ASPECTS[0], "Compose service `mail` (`compose.override.yml`)")
    prod = one(section, ASPECTS[0], "`compose.prod.yml` overlays `compose.yml`")
    assert "applied with `docker compose -f`" in prod.claim and "`web` (restart)" in prod.claim


def test_compose_files_group_by_folder() -> None:
    files = [read_compose(path, load_yaml("services: {a: {image: a}}")[0])
             for path in ("a/docker-compose.yml", "a/docker-compose.dev.yml", "b/compose.test.yml")]
    groups = compose_groups([f for f in files if f is not None])
    assert [(base.path, [o.path for o in overlays]) for base, overlays in groups] == [
        ("a/docker-compose.yml", ["a/docker-compose.dev.yml"]), ("b/compose.test.yml", [])]


def test_kubernetes_diagram_probes_and_rollout(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {"k8s/app.yaml": """
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          strategy: {type: Recreate}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - name: web
                  image: web
                  readinessProbe: {tcpSocket: {port: 8000}}
        ---
        kind: Deployment
        metadata: {name: worker}
        spec:
          template:
            metadata: {labels: {app: worker}}
            spec:
              containers: [{name: worker, image: worker}]
        ---
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}}
        ---
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {kind: Deployment, name: web}
          minReplicas: 2
          maxReplicas: 6
    """})
    [diagram] = section.diagrams
    assert "  k2 --> k0" in diagram.mermaid and '  k3 -.->|"scales"| k0' in diagram.mermaid
    one(section, ASPECTS[0], "HorizontalPodAutoscaler `web` scales `Deployment/web` from `2` "
                             "to `6` replicas")
    one(section, ASPECTS[2], "Deployment `web` probes: readiness TCP port `8000`")
    one(section, ASPECTS[2], "without liveness, readiness or startup probes: Deployment "
                             "`worker`")
    one(section, ASPECTS[3], "Deployment `web` rolls out with `Recreate`; it does not set "
                             "`revisionHistoryLimit`")
    one(section, ASPECTS[3], "Deployment `worker` declares no rollout strategy")


def test_alembic_migrations_without_downgrade(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {
        "migrations/versions/0001_a.py": "def upgrade():\n    pass\n\ndef downgrade():\n    pass\n",
        "migrations/versions/0002_b.py": "def upgrade():\n    pass\n",
        "migrations/versions/helpers.py": "def other():\n    pass\n",
    })
    finding = one(section, ASPECTS[3], "Alembic migrations")
    assert finding.claim.startswith("1 of 2 Alembic migrations define `downgrade()`; "
                                    "1 migration without one cannot be reversed")
    assert [str(e) for e in finding.evidence] == ["migrations/versions/0002_b.py:1",
                                                  "migrations/versions/0001_a.py:4"]


def test_django_migrations_are_counted_per_app(analyse_repo: Analyse) -> None:
    migration = ("from django.db import migrations\n\n"
                 "class Migration(migrations.Migration):\n    operations = []\n")
    section = section_of(analyse_repo, {
        "shop/orders/migrations/__init__.py": "",
        "shop/orders/migrations/0001_initial.py": migration,
        "shop/orders/migrations/0002_more.py": migration,
        "shop/users/migrations/0001_initial.py": migration,
        "tests/migrations/0001_initial.py": migration,
        "shop/orders/migrations/notes.py": "class Other:\n    pass\n",
    })
    finding = one(section, ASPECTS[3], "Django:")
    assert finding.claim.startswith("Django: 3 migrations in 2 apps (`orders` and `users`)")
    assert [str(e) for e in finding.evidence] == ["shop/orders/migrations/0001_initial.py:3",
                                                  "shop/users/migrations/0001_initial.py:3"]


def test_release_and_other_pipelines(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {
        ".github/workflows/release.yml": """
            name: release
            on: {push: {tags: ["v*"]}}
            jobs:
              pypi:
                environment: pypi
                steps:
                  - run: |
                      # build it first
                      python -m build
                  - uses: pypa/gh-action-pypi-publish@release/v1
        """,
        ".github/workflows/e2e.yml": """
            name: Test chart
            on: push
            jobs:
              k3s:
                steps:
                  - run: helm upgrade --install app ./chart
        """,
        ".github/workflows/images.yml": """
            name: images
            on: pull_request
            jobs:
              build:
                steps:
                  - run: docker build -t app .
        """,
        ".github/workflows/lint.yml": """
            name: lint
            on: pull_request
            jobs:
              ruff:
                steps:
                  - run: ruff check .
        """,
        "Makefile": "release:\n\ttwine upload dist/*\nclean:\n\trm -rf dist\n",
        "Procfile": "release: python manage.py migrate\n",
        ".buildkite/pipeline.yml": "steps: []\n",
    })
    process = {f.claim for f in claims(section, ASPECTS[1])}
    one(section, ASPECTS[1], "Workflow `release` (`.github/workflows/release.yml`) runs on push "
                             "(tags: v*); jobs: `pypi` (build, publish)")
    job = one(section, ASPECTS[1], "Job `pypi` of `release`")
    assert "environment `pypi`" in job.claim
    assert "`python -m build` (build); `pypa/gh-action-pypi-publish@release/v1` (publish)" in (
        job.claim)
    one(section, ASPECTS[1], "Workflows that deploy only into a test environment: `Test chart` "
                             "(`helm upgrade --install app ./chart`)")
    one(section, ASPECTS[1], "Workflows that build but neither publish nor deploy: `images` "
                             "(`docker build -t app .`)")
    one(section, ASPECTS[1], "neither build, publish nor deploy: `lint` "
                             "(`.github/workflows/lint.yml`; lint)")
    one(section, ASPECTS[1], "Makefile targets in `Makefile`: `release` (publish): "
                             "`twine upload dist/*`")
    one(section, ASPECTS[1], "The Procfile's `release` process runs "
                             "`python manage.py migrate`")
    one(section, ASPECTS[1], "`.buildkite/pipeline.yml` (Buildkite) is present but not read")
    assert not any("No deploy step" in claim for claim in process)  # `Test chart` deploys


def test_environment_variables_from_compose_interpolation(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {
        "docker-compose.yml": """
            services:
              web:
                image: web
                environment:
                  SECRET_KEY: ${SECRET_KEY}
                  DEBUG: ${DEBUG:-false}
                  PLAIN: value
        """,
        ".env.example": "DEBUG=true\n",
    })
    finding = one(section, ASPECTS[0], "from the shell or an `.env` file")
    assert finding.claim == (
        "`docker-compose.yml` takes `DEBUG` and `SECRET_KEY` from the shell or an `.env` file; "
        "`SECRET_KEY` has no default; not in the `.env` example: `SECRET_KEY`.")


def test_metrics_libraries_and_monitoring_services(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {
        "app/__init__.py": "",
        "app/metrics.py": "from prometheus_client import Counter\n",
        "tests/test_x.py": "import prometheus_client\n",
        "docker-compose.yml": ("services:\n  app: {image: app}\n"
                               "  prometheus: {image: 'prom/prometheus:v2'}\n"),
    })
    metrics = one(section, ASPECTS[2], "`prometheus-client` (metrics)")
    assert [str(e) for e in metrics.evidence] == ["app/metrics.py:1"]
    one(section, ASPECTS[2], "Compose service `prometheus` runs Prometheus")


def test_a_gitlab_pipeline_that_builds_pushes_and_runs_containers(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {".gitlab-ci.yml": """
        stages: [build, deploy]
        build-image:
          stage: build
          script:
            - docker build -t $IMAGE .
            - docker push $IMAGE
        deploy-app:
          stage: deploy
          only: {refs: [main]}
          script:
            - docker run -d --name app $IMAGE
        smoke-test:
          stage: deploy
          script:
            - docker run --rm $IMAGE pytest
    """})
    one(section, ASPECTS[1], "GitLab CI pipeline (`.gitlab-ci.yml`) has jobs: `build-image` "
                             "(build, publish), `deploy-app` (deploy), `smoke-test`.")
    one(section, ASPECTS[1], "Job `deploy-app` of `.gitlab-ci.yml` (with `only: main`, stage "
                             "`deploy`): `docker run -d --name app $IMAGE` (deploy)")


def test_systemd_units_procfiles_proxies_and_terraform(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {
        "deploy/app.service": ("[Unit]\nDescription=App\n[Service]\nUser=app\n"
                               "ExecStart=/srv/bin/gunicorn app:app\nRestart=always\n"),
        "deploy/idle.service": "[Service]\nType=oneshot\n",
        "deploy/nginx.conf": ("upstream app { server 127.0.0.1:8000; }\nserver {\n"
                              "  listen 443 ssl;\n  location / { proxy_pass http://app; }\n}\n"),
        "infra/main.tf": ('resource "aws_instance" "a" {}\nresource "aws_instance" "b" {}\n'
                          'resource "aws_db_instance" "db" {}\nmodule "vpc" {}\n'),
    })
    one(section, ASPECTS[0], "systemd unit `deploy/app.service` (App): runs "
                             "`/srv/bin/gunicorn app:app`; user `app`; restart policy `always`.")
    one(section, ASPECTS[0], "systemd unit `deploy/idle.service`: declares no ExecStart.")
    one(section, ASPECTS[0], "nginx (`deploy/nginx.conf`) listens on `443 ssl`; forwards `/` "
                             "to `http://app`; upstream `app` balances `127.0.0.1:8000`; "
                             "terminates TLS")
    one(section, ASPECTS[0], "Terraform declares 3 resources (2 `aws_instance`, 1 "
                             "`aws_db_instance`); modules `vpc`")


def test_compose_extends_and_profiles(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {
        "compose.yml": """
            services:
              web:
                extends: {file: common.yml, service: app}
                ports: ['8000:8000']
                environment: {DEBUG: "0"}
              worker:
                extends: app-local
                command: celery worker
              app-local:
                image: acme/app
                profiles: [debug]
                depends_on: [web]
              orphan:
                extends: {file: missing.yml, service: base}
        """,
        "common.yml": """
            services:
              app:
                build: .
                restart: always
                environment: {DEBUG: "1", DATABASE_URL: "postgres://db/app"}
                ports: ['9000:9000']
        """,
    })
    web = one(section, ASPECTS[0], "Compose service `web`")
    # Inherited from common.yml (not classified as a compose file): build, restart, variables
    # not overridden, ports added to its own.
    assert web.claim.startswith("Compose service `web` (`compose.yml`): extends "
                                "`app in common.yml`; built from `.`; publishes `9000:9000`, "
                                "`8000:8000`; sets `DATABASE_URL` and `DEBUG`")
    assert "restart policy `always`" in web.claim
    assert "common.yml:6" in [str(e) for e in web.evidence]
    worker = one(section, ASPECTS[0], "Compose service `worker`")
    assert ("extends `app-local`; starts only with the profile `debug`; image `acme/app`; "
            "runs `celery worker`") in worker.claim
    assert "starts after" not in worker.claim  # depends_on is never inherited
    debug = one(section, ASPECTS[0], "Compose service `app-local`")
    assert "starts only with the profile `debug`" in debug.claim
    missing = one(section, ASPECTS[0], "`compose.yml` extends `base in missing.yml`")
    assert "does not have" in missing.claim


def test_services_without_extends_or_profiles_say_neither(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {"compose.yml": "services:\n  web: {image: web}\n"})
    web = one(section, ASPECTS[0], "Compose service `web`")
    assert "extends" not in web.claim and "profile" not in web.claim


SCRAPE_MANIFESTS = """\
kind: Deployment
metadata:
  name: web
  annotations: {prometheus.io/scrape: "true"}
spec:
  template:
    metadata:
      labels: {app: web}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "8000"
        prometheus.io/path: /metrics
    spec:
      containers: [{name: web, image: web}]
---
kind: Deployment
metadata: {name: worker}
spec:
  template:
    metadata:
      annotations: {prometheus.io/scrape: "false", prometheus.io/port: "9000"}
    spec:
      containers: [{name: worker, image: worker}]
---
kind: Service
metadata:
  name: web
  labels: {app: web}
  annotations: {prometheus.io/scrape: "true", prometheus.io/port: "8000"}
spec:
  selector: {app: web}
---
kind: ServiceMonitor
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  endpoints: [{port: metrics, path: /metrics, interval: 30s}]
---
kind: PodMonitor
metadata: {name: batch}
spec:
  selector: {matchLabels: {app: batch}}
  podMetricsEndpoints: [{port: http}]
---
kind: PrometheusRule
metadata: {name: alerts}
spec: {groups: []}
"""


def test_what_kubernetes_manifests_have_prometheus_scrape(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {"k8s/app.yaml": SCRAPE_MANIFESTS})
    pods = one(section, ASPECTS[2], "Deployment `web` (`k8s/app.yaml`) annotates its pods")
    assert pods.claim == (
        "Kubernetes Deployment `web` (`k8s/app.yaml`) annotates its pods for Prometheus "
        "scraping (`prometheus.io/scrape: true`, `prometheus.io/port: 8000`, "
        "`prometheus.io/path: /metrics`).")
    assert [str(e) for e in pods.evidence] == ["k8s/app.yaml:10", "k8s/app.yaml:11",
                                               "k8s/app.yaml:12"]
    one(section, ASPECTS[2], "Kubernetes Service `web` (`k8s/app.yaml`) annotates its "
                             "endpoints for Prometheus scraping (`prometheus.io/scrape: true`, "
                             "`prometheus.io/port: 8000`).")
    monitor = one(section, ASPECTS[2], "ServiceMonitor `web`")
    assert monitor.claim == (
        "Kubernetes ServiceMonitor `web` (`k8s/app.yaml`) has Prometheus scrape port `metrics` "
        "(path `/metrics`, every 30s) of the Services labelled `app=web` (Service `web`).")
    one(section, ASPECTS[2], "Kubernetes PodMonitor `batch` (`k8s/app.yaml`) has Prometheus "
                             "scrape port `http` of the pods labelled `app=batch` (none of the "
                             "repository's manifests carries these labels).")
    one(section, ASPECTS[2], "Kubernetes PrometheusRule `alerts` configures monitoring.")
    scraping = [f.claim for f in claims(section, ASPECTS[2]) if "scrap" in f.claim]
    assert not any("worker" in claim for claim in scraping)  # scrape: "false"
    assert len(scraping) == 4  # the Deployment's own annotation is not read by discovery


def test_a_templated_scrape_annotation(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {
        "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        "chart/templates/svc.yaml": (
            "kind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  annotations:\n"
            "    prometheus.io/scrape: {{ .Values.metrics.enabled | quote }}\n"
            "spec: {}\n"),
    })
    one(section, ASPECTS[2], "Kubernetes Service `{{ .Release.Name }}` (Helm template) "
                             "(`chart/templates/svc.yaml`) leaves whether Prometheus scrapes its "
                             "endpoints to a template action (`prometheus.io/scrape: "
                             "{{ .Values.metrics.enabled }}`).")


def test_compose_prometheus_and_its_scrape_configuration(analyse_repo: Analyse) -> None:
    section = section_of(analyse_repo, {
        "docker-compose.yml": (
            "services:\n  prometheus:\n    image: prom/prometheus:v2\n"
            "    volumes:\n      - ./monitoring:/etc/prometheus\n"
            "  other-prometheus:\n    image: prom/prometheus:v2\n"
            "    volumes: ['./config/prom.yml:/etc/prometheus/prometheus.yml']\n"),
        "monitoring/prometheus.yml": (
            "scrape_configs:\n  - job_name: api\n    static_configs:\n"
            "      - targets: ['api:8000']\n  # - job_name: off\n"
            "  - job_name: nodes\n    file_sd_configs: [{files: [nodes.json]}]\n"),
    })
    one(section, ASPECTS[2], "Compose service `prometheus` runs Prometheus "
                             "(`prom/prometheus:v2`); it mounts the Prometheus configuration "
                             "`monitoring/prometheus.yml`.")
    missing = one(section, ASPECTS[2], "Compose service `other-prometheus` runs Prometheus")
    assert missing.claim.endswith(
        "; no Prometheus configuration (`scrape_configs`) of the repository is mounted into it "
        "(it mounts `./config/prom.yml:/etc/prometheus/prometheus.yml`).")
    jobs = one(section, ASPECTS[2], "scrapes 2 jobs")
    assert jobs.claim == ("Prometheus configuration `monitoring/prometheus.yml` scrapes 2 jobs: "
                          "`api` (`api:8000`) and `nodes` (`file_sd_configs`).")
    assert [str(e) for e in jobs.evidence] == ["monitoring/prometheus.yml:1",
                                               "monitoring/prometheus.yml:2",
                                               "monitoring/prometheus.yml:6"]


def test_pipelines_that_only_build_are_said_to_end_at_building(analyse_repo: Analyse) -> None:
    workflow = """
        name: checks
        on: push
        jobs:
          build:
            steps:
              - run: docker build -t app .
    """
    section = section_of(analyse_repo, {".github/workflows/checks.yml": workflow})
    claim = one(section, ASPECTS[1], "No deploy step").claim
    assert "the pipelines end at building; how built artefacts reach" in claim
    published = workflow + "          - run: docker push app\n"
    section = section_of(analyse_repo, {".github/workflows/checks.yml": published})
    assert "end at publishing; how published" in one(section, ASPECTS[1], "No deploy step").claim
