"""The Security Patterns section, from small repositories: positive and negative cases."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.security import SecurityAnalyser
from syspatterns.core.evidence import Section
from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]


def section(analyse_repo: Analyse, files: dict[str, str]) -> Section:
    return SecurityAnalyser().analyse(analyse_repo(files))


def claims(result: Section, aspect: str) -> list[str]:
    return [f.claim for f in result.findings if f.aspect == aspect]


API = {
    "api/__init__.py": "",
    "api/security.py": """
        import jwt
        from fastapi.security import OAuth2PasswordBearer
        from passlib.context import CryptContext
        oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/login")
        pwd = CryptContext(schemes=["bcrypt"])
        def issue(sub, key):
            return jwt.encode({"sub": sub}, key)
    """,
    "api/routes.py": """
        from fastapi import Depends
        from api.deps import get_current_user
        def read(user=Depends(get_current_user)):
            return user
        def page(db=Depends(get_db)):
            return db
    """,
}


def test_authentication_schemes_calls_and_libraries(analyse_repo: Analyse) -> None:
    auth = claims(section(analyse_repo, API), "Authentication")
    assert auth == [
        "OAuth2 password flow with bearer tokens: "
        "`oauth2_scheme = OAuth2PasswordBearer(...)`.",
        "Password hashing with passlib: `pwd = CryptContext(...)`.",
        "The code issues JSON Web Tokens at 1 place.",
        "`PyJWT` (authentication) is imported at 1 place.",
        "`passlib` (password hashing) is imported at 1 place.",
    ]


def test_authorization_from_injected_user_dependencies_only(analyse_repo: Analyse) -> None:
    authz = claims(section(analyse_repo, API), "Authorization")
    assert authz == ["Routes require `get_current_user` through dependency injection at "
                     "1 place."]


def test_guard_decorators(analyse_repo: Analyse) -> None:
    authz = claims(section(analyse_repo, {
        "shop/__init__.py": "",
        "shop/views.py": """
            from django.contrib.auth.decorators import login_required, permission_required
            @login_required
            def orders(request): ...
            @permission_required("shop.refund")
            def refund(request): ...
            @cache_page(60)
            def home(request): ...
        """,
    }), "Authorization")
    assert authz == ["`@login_required` guards 1 function (`orders`).",
                     "`@permission_required` guards 1 function (`refund`)."]


def test_the_repositorys_own_guard_decorators(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "ctf/__init__.py": "",
        "ctf/decorators.py": """
            import functools
            from flask import abort, session
            def admins_only(f):
                @functools.wraps(f)
                def wrapper(*args, **kwargs):
                    if not session.get("admin"):
                        abort(403)
                    return f(*args, **kwargs)
                return wrapper
            def check_access(f):
                return f
            def ratelimit(f):  # limits, does not guard access
                return f
            def only_once(f):  # a guard word, but no subject of access
                return f
            def organiser_only(f):
                return f
            def user_cached(f):  # a subject, but no guard word
                return f
            def permission(scope):
                return lambda f: f
            def permission_label(f):  # one subject, and more words than the guard word
                return f
        """,
        "ctf/views.py": """
            from ctf.decorators import (admins_only, check_access, ratelimit, only_once,
                                        organiser_only, user_cached, permission,
                                        permission_label)
            @admins_only
            def config(): ...
            @admins_only
            def users(): ...
            @check_access
            def status(): ...
            @ratelimit
            @only_once
            def login(): ...
            @organiser_only
            @user_cached
            def applications(): ...
            @permission("write")
            @permission_label
            def alerts(): ...
        """,
    })
    authz = claims(result, "Authorization")
    assert authz == [
        "`@admins_only` (the repository's own) guards 2 functions (`config` and `users`).",
        "`@check_access` (the repository's own) guards 1 function (`status`).",
        "`@organiser_only` (the repository's own) guards 1 function (`applications`).",
        "`@permission` (the repository's own) guards 1 function (`alerts`)."]
    (admins, *_) = [f for f in result.findings if f.aspect == "Authorization"]
    assert [str(e) for e in admins.evidence] == [
        "ctf/decorators.py:3", "ctf/views.py:5", "ctf/views.py:7"]


def test_permission_classes_of_views(analyse_repo: Analyse) -> None:
    authz = claims(section(analyse_repo, {
        "api/__init__.py": "",
        "api/views.py": """
            from rest_framework import permissions, viewsets
            class ProjectViewSet(viewsets.ModelViewSet):
                permission_classes = (permissions.IsAuthenticated,)
            class OpenViewSet(viewsets.ModelViewSet):
                permission_classes = []
            class TaskViewSet(viewsets.ModelViewSet):
                permission_classes = [permissions.IsAdminUser]
        """,
    }), "Authorization")
    assert authz == ["`permission_classes` sets the permissions of 2 views (`ProjectViewSet` "
                     "and `TaskViewSet`)."]


def test_nothing_found_says_what_was_looked_for(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {"lib/__init__.py": "def add(a, b):\n    return a + b\n"})
    for aspect in ("Authentication", "Authorization", "Data protection",
                   "Other security measures", "Risks"):
        assert claims(result, aspect)[0].startswith("None found: looked for"), aspect


def test_settings_and_cookie_flags(analyse_repo: Analyse) -> None:
    protection = claims(section(analyse_repo, {
        "site/__init__.py": "",
        "site/settings.py": "SESSION_COOKIE_SECURE = True\nX_FRAME_OPTIONS = 'DENY'\n"
                            "PASSWORD_HASHERS = [name for name in HASHERS]\n"
                            "ALLOWED_HOSTS = ['example.com']\nOTHER = 1\n",
        "site/views.py": "def v(response):\n    response.set_cookie('a', 'b', secure=True, "
                         "httponly=True)\n    response.set_cookie('c', 'd')\n",
        "site/client.py": "class Cookies:\n    def set(self, cookie):\n"
                          "        self.jar.set_cookie(cookie)\n",  # a client keeps it
        "site/session.py": "def set_cookie(response, token):\n"
                           "    response.set_cookie('s', token, secure=True)\n",
        "site/login.py": "from site import session\ndef login(response):\n"
                         "    session.set_cookie(response, 't')\n",  # its own helper
        "site/base.py": "class Response:\n    def delete_cookie(self, key, secure=False):\n"
                        "        self.set_cookie(key, '', secure=secure)\n",  # passed on
    }), "Data protection")
    assert protection == [
        "Cookies are set with secure=True.",  # in the helper, not at its caller
        "`SESSION_COOKIE_SECURE` is set to True.",
        "`X_FRAME_OPTIONS` is set to 'DENY'.",
        "`PASSWORD_HASHERS` is set to a value computed at run time.",
        "`ALLOWED_HOSTS` is set to a list.",
        "Cookies are set with secure=True, httponly=True.",
        "Cookies are set with no secure, httponly or samesite flag.",
    ]


def test_risky_calls_settings_and_secrets(analyse_repo: Analyse) -> None:
    risks = claims(section(analyse_repo, {
        "app/__init__.py": "",
        "app/settings.py": "DEBUG = True\nSECRET_KEY = 'hunter2'\nTOKEN_URL = '/token'\n"
                           "DB_PASSWORD = ''\nAPI_KEY = os.environ['KEY']\n"
                           "PROXY_APIKEY = 'API-KEY'\nBOT_TOKEN = '<your token>'\n"
                           "CLIENT_SECRET = 'changeme'\n",  # placeholders, not secrets
        "app/run.py": """
            import pickle, subprocess, yaml, requests
            from yaml import SafeLoader
            def go(data, cmd):
                pickle.loads(data)
                subprocess.run(cmd, shell=True)
                yaml.load(data)
                yaml.load(data, Loader=SafeLoader)
                requests.get("https://x", verify=False)
                eval(cmd)
                ast.literal_eval(cmd)
        """,
    }), "Risks")
    assert risks == [
        "`pickle.loads()`: unpickling can run arbitrary code.",
        "`subprocess.run(..., shell=True)`: runs the command through a shell.",
        "`yaml.load()`: yaml.load without a safe Loader can build arbitrary objects.",
        "`requests.get(..., verify=False)`: turns TLS certificate verification off.",
        "`eval()`: evaluates a string as code.",
        "`DEBUG = True`: debug mode shows internals in error pages.",
        "`SECRET_KEY` is a hard-coded string: a secret in the code rather than in the "
        "environment.",
    ]


def test_repeated_risks_are_grouped_with_a_count(analyse_repo: Analyse) -> None:
    risks = claims(section(analyse_repo, {
        "t/__init__.py": "",
        "t/tags.py": "from django.utils.safestring import mark_safe\n"
                     "def a(x):\n    return mark_safe(x)\ndef b(x):\n    return mark_safe(x)\n"
                     "def c(x):\n    return eval(eval(x))\n",  # one place, two calls
    }), "Risks")
    assert risks == ["`mark_safe()`: turns template autoescaping off for a value (2 places).",
                     "`eval()`: evaluates a string as code."]


def test_django_and_rest_framework_settings_contents(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "site/__init__.py": "",
        "site/settings.py": """
            MIDDLEWARE = [
                "django.middleware.security.SecurityMiddleware",
                "django.contrib.sessions.middleware.SessionMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
                "django.contrib.auth.middleware.AuthenticationMiddleware",
            ]
            REST_FRAMEWORK = {
                "DEFAULT_AUTHENTICATION_CLASSES": [
                    "rest_framework.authentication.TokenAuthentication"],
                "DEFAULT_PERMISSION_CLASSES": "rest_framework.permissions.IsAuthenticated",
                "PAGE_SIZE": 20,
            }
            INSTALLED_APPS = ["django.contrib.admin"]
        """,
    })
    assert claims(result, "Authentication") == [
        "`MIDDLEWARE`: each request is authenticated from its session (Django's "
        "AuthenticationMiddleware).",
        "`REST_FRAMEWORK`: REST framework authenticates with "
        "`rest_framework.authentication.TokenAuthentication`.",
    ]
    assert claims(result, "Authorization") == [
        "`REST_FRAMEWORK`: REST framework requires "
        "`rest_framework.permissions.IsAuthenticated` by default."]
    assert claims(result, "Data protection") == [
        "`MIDDLEWARE`: Django's SecurityMiddleware sets security headers (and redirects to "
        "HTTPS and sends HSTS where `SECURE_SSL_REDIRECT` and `SECURE_HSTS_SECONDS` are "
        "set)."]
    assert claims(result, "Other security measures") == [
        "`MIDDLEWARE`: CSRF protection on every unsafe request (Django's CsrfViewMiddleware)."]


def test_middleware_added_by_another_settings_module(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "site/__init__.py": "",
        "site/settings/__init__.py": "",
        "site/settings/base.py": "MIDDLEWARE = ['app.Custom']\n",
        "site/settings/production.py": """
            from .base import *
            MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")
            MIDDLEWARE.append("corsheaders.middleware.CorsMiddleware")
            MIDDLEWARE.append("site.middleware.CorsMiddleware")  # its own: no claim of it
            MIDDLEWARE.append(computed_name)  # not a literal: nothing to read
            def local():
                MIDDLEWARE.append("django.middleware.csrf.CsrfViewMiddleware")
        """,
    })
    assert claims(result, "Data protection") == [
        "`MIDDLEWARE`: Django's SecurityMiddleware sets security headers (and redirects to "
        "HTTPS and sends HSTS where `SECURE_SSL_REDIRECT` and `SECURE_HSTS_SECONDS` are "
        "set)."]
    (cors,) = [f for f in result.findings if "CORS" in f.claim]
    assert [str(e) for e in cors.evidence] == ["site/settings/production.py:3"]


def test_a_middleware_list_without_security_middleware_says_nothing_of_it(
        analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {"site/__init__.py": "",
                                    "site/settings.py": "MIDDLEWARE = ['app.Custom']\n"})
    assert claims(result, "Data protection")[0].startswith("None found")


def test_rate_limiters_and_the_views_their_decorators_limit(analyse_repo: Analyse) -> None:
    other = claims(section(analyse_repo, {
        "api/__init__.py": "",
        "api/limits.py": """
            from slowapi import Limiter
            from slowapi.util import get_remote_address
            limiter = Limiter(key_func=get_remote_address, default_limits=["100/minute"])
        """,
        "api/auth.py": """
            from fastapi import APIRouter, Depends
            from fastapi_limiter.depends import RateLimiter
            from api.limits import limiter
            router = APIRouter()
            @router.post("/login")
            @limiter.limit("5/minute")
            def login(request): ...
            @router.post("/signup")
            @limiter.limit("5/minute")
            def signup(request): ...
            @router.get("/items", dependencies=[Depends(RateLimiter(times=2, seconds=5))])
            def items(): ...
            # @limiter.limit("1/second") on logout is not a use
            def logout(request):
                return "limiter.limit"
        """,
        "api/cache.py": """
            class Budget:
                def limit(self, rate):
                    return lambda f: f
            budget = Budget()
            @budget.limit("5/minute")
            def spend(): ...
        """,
    }), "Other security measures")
    assert other == [
        "Rate limiting with slowapi: `limiter = Limiter(...)`.",
        "`@limiter.limit('5/minute')` limits the request rate of 2 views (`login` and "
        "`signup`).",
        "`RateLimiter(...)` limits the request rate of the routes it guards (1 place).",
        "`fastapi-limiter` (rate limiting) is imported at 1 place.",
        "`slowapi` (rate limiting) is imported at 2 places.",
    ]


def test_django_ratelimit_and_rest_framework_throttles(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "site/__init__.py": "",
        "site/views.py": """
            from django.utils.decorators import method_decorator
            from django_ratelimit.decorators import ratelimit
            from rest_framework.throttling import UserRateThrottle
            @ratelimit(key="ip", rate="5/m", block=True)
            def login(request): ...
            @method_decorator(ratelimit(key="ip", rate="1/s"), name="post")
            class SignupView:
                pass
            class OrderView:
                throttle_classes = [UserRateThrottle]
            class HealthView:
                throttle_classes = []
        """,
        "site/local.py": "def ratelimit(**k):\n    return lambda f: f\n"
                         "@ratelimit(rate='1/s')\ndef ping(request): ...\n",
    })
    assert claims(result, "Other security measures") == [
        "`@method_decorator(ratelimit(), name='post')` limits the request rate of 1 view "
        "(`SignupView`).",
        "`@ratelimit(key='ip', rate='5/m', block=True)` limits the request rate of 1 view "
        "(`login`).",
        "`throttle_classes` limits the request rate of 1 view (`OrderView`).",
        "`django-ratelimit` (rate limiting) is imported at 1 place.",
    ]


def test_rate_limits_in_web_server_configurations(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "app/__init__.py": "LIMIT = 'limit_conn perip 10'\n",
        "deploy/nginx.conf": """
            http {
              # limit_conn perip 10;
              limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;
              server {
                location /api/ { limit_req zone=api burst=20; }
                location /login { limit_req zone=api; }
                location /status { limit_request_body off; }
              }
            }
        """,
    })
    assert claims(result, "Other security measures") == [
        "`limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;` in `deploy/nginx.conf` "
        "defines a request-rate limit.",
        "`location /api/ { limit_req zone=api burst=20; }` in `deploy/nginx.conf` limits the "
        "request rate (2 lines).",
    ]


def test_template_autoescaping_on_and_off(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "web/__init__.py": "",
        "web/templates.py": """
            from jinja2 import Environment, Template, select_autoescape
            html = Environment(autoescape=select_autoescape(["html"]))
            text = Environment(autoescape=False)
            page = Template("<p>{{ x }}</p>", autoescape=True)
            note = Environment(autoescape="False")  # a string, not the value False
        """,
        "web/queries.py": """
            from sqlalchemy import select
            def search(Customer, text):  # escapes LIKE wildcards, no templates
                return select(Customer).where(Customer.name.icontains(text, autoescape=True))
        """,
        "site/__init__.py": "",
        "site/settings.py": """
            TEMPLATES = [
                {"BACKEND": "django.template.backends.django.DjangoTemplates",
                 "OPTIONS": {"autoescape": False, "context_processors": []}},
                {"BACKEND": "django.template.backends.jinja2.Jinja2",
                 "OPTIONS": {"environment": "site.jinja.environment"}},
            ]
        """,
        "other/__init__.py": "",
        "other/settings.py": "TEMPLATES = [{'OPTIONS': {'autoescape': True}}]\n"
                             "# TEMPLATES = [{'OPTIONS': {'autoescape': False}}]\n",
    })
    assert claims(result, "Data protection") == [
        "`TEMPLATES` turns template autoescaping on explicitly.",
        "Template autoescaping is on: `Environment(..., autoescape=select_autoescape())`.",
        "Template autoescaping is on: `Template(..., autoescape=True)`.",
    ]
    assert claims(result, "Risks") == [
        "`TEMPLATES` (DjangoTemplates) turns template autoescaping off, so values reach the "
        "HTML unescaped.",
        "`Environment(..., autoescape=False)`: turns template autoescaping off: values are "
        "inserted unescaped (a risk where the output is HTML).",
    ]


def test_template_autoescaping_read_at_any_depth_and_never_guessed(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "site/__init__.py": "",
        "site/settings.py": """
            TEMPLATES = [
                {"BACKEND": "django.template.backends.jinja2.Jinja2",
                 "OPTIONS": {"environment": "site.jinja.environment", "autoescape": True}},
                {"BACKEND": "django.template.backends.django.DjangoTemplates",
                 "OPTIONS": template_options()},
                {"BACKEND": "django.template.backends.django.DjangoTemplates",
                 "OPTIONS": {"autoescape": DEBUG}},
            ]
        """,
        "other/__init__.py": "",
        "other/settings.py": "TEMPLATES = build_templates()\n",
    })
    assert [c for c in claims(result, "Data protection") if "autoescap" in c] == [
        "`TEMPLATES` (Jinja2) turns template autoescaping on explicitly."]
    assert claims(result, "Risks")[0].startswith("None found")


def test_security_middleware_is_told_from_other_middleware(analyse_repo: Analyse) -> None:
    other = claims(section(analyse_repo, {
        "api/__init__.py": "",
        "api/main.py": """
            from fastapi import FastAPI
            from fastapi.middleware.cors import CORSMiddleware
            from fastapi.middleware.gzip import GZipMiddleware
            app = FastAPI()
            admin = FastAPI()
            app.add_middleware(CORSMiddleware, allow_origins=["*"])
            admin.add_middleware(CORSMiddleware)
            app.add_middleware(GZipMiddleware, minimum_size=1000)
            app.add_middleware(MetricsMiddleware)
        """,
    }), "Other security measures")
    assert other == ["Middleware `CORSMiddleware` is added to the application (2 places)."]


def test_class_based_views_guarded_by_mixins_and_exempted_by_method_decorator(
        analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "site/__init__.py": "",
        "site/views.py": """
            from django.contrib.auth.mixins import LoginRequiredMixin
            from django.utils.decorators import method_decorator
            from django.views.decorators.csrf import csrf_exempt
            from django.views.decorators.cache import cache_page
            from django.views.generic import View

            class Profile(LoginRequiredMixin, View):
                pass

            @method_decorator(csrf_exempt, name="dispatch")
            class Token(View):
                pass

            @method_decorator(cache_page(60), name="dispatch")
            class Home(View):
                pass
        """,
    })
    assert claims(result, "Authorization") == ["`LoginRequiredMixin` guards 1 view (`Profile`)."]
    assert claims(result, "Risks") == [
        "`Token` is exempt from CSRF protection (`@method_decorator(csrf_exempt, ...)`)."]


def test_csrf_turned_off_on_a_view_decorator(analyse_repo: Analyse) -> None:
    risks = claims(section(analyse_repo, {
        "web/__init__.py": "",
        "web/views.py": """
            from pyramid.view import view_config
            @view_config(route_name="hook", require_csrf=False, renderer="json")
            def hook(request): ...
            @view_config(route_name="page", require_csrf=True)
            def page(request): ...
        """,
    }), "Risks")
    assert risks == ["`view_config(..., require_csrf=False)`: turns CSRF protection off for the "
                     "view."]


def test_permissions_given_to_view_decorators(analyse_repo: Analyse) -> None:
    authz = claims(section(analyse_repo, {
        "site/__init__.py": "",
        "site/views.py": """
            from pyramid.view import view_config, view_defaults
            from site.permissions import Permissions

            @view_config(route_name="users", permission=Permissions.UsersRead)
            @view_config(route_name="users.json", permission=Permissions.UsersRead)
            def users(request): ...

            @view_config(route_name="edit", permission="edit")
            def edit(request): ...

            @view_config(route_name="home")
            def home(request): ...

            @view_defaults(permission=None)
            class Open: ...
        """,
        "site/other.py": """
            from other.lib import view_config

            @view_config(permission="ignored")  # not Pyramid's
            def elsewhere(request): ...
        """,
    }), "Authorization")
    assert authz == [
        "`@view_config(permission=...)` makes 2 views (`edit` and `users`) require 2 "
        "permissions (`'edit'` and `Permissions.UsersRead`)."]
