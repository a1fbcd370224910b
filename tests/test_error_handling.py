"""The Error Handling section: hierarchy, handlers, recovery and risks, from small repositories."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.error_handling import ErrorHandlingAnalyser
from syspatterns.core.evidence import Section
from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]

ERRORS = {
    "app/__init__.py": "",
    "app/errors.py": """
        from fastapi import HTTPException
        class AppError(Exception):
            pass
        class NotFound(AppError):
            pass
        class Gone(NotFound):
            pass
        class Denied(HTTPException):
            pass
        class Helper:  # not an exception
            pass
        class ErrorLike:  # a name is not a base
            pass
    """,
    "app/service.py": """
        from app import errors
        from app.errors import NotFound
        def find(key):
            if not key:
                raise NotFound(key)
            raise errors.Gone(key)
        def safe(key):
            try:
                return find(key)
            except errors.NotFound:
                return None
    """,
}


def section(analyse_repo: Analyse, files: dict[str, str]) -> Section:
    return ErrorHandlingAnalyser().analyse(analyse_repo(files))


def claims(result: Section, aspect: str) -> list[str]:
    return [f.claim for f in result.findings if f.aspect == aspect]


def test_hierarchy_with_raises_and_catches_through_imports(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, ERRORS)
    types = claims(result, "Error types")
    assert types[0] == ("4 exception classes defined in the code, under 2 roots: `AppError` "
                        "and `Denied`.")
    assert types[1:5] == [
        "`AppError` in `app.errors`, subclass of `Exception`: raised at 0 places, caught at "
        "0 places.",
        "`NotFound` in `app.errors`, subclass of `AppError`: raised at 1 place, caught at "
        "1 place.",
        "`Gone` in `app.errors`, subclass of `NotFound`: raised at 1 place, caught at 0 places.",
        "`Denied` in `app.errors`, subclass of `HTTPException`: raised at 0 places, caught at "
        "0 places.",
    ]
    assert not any("Helper" in c or "ErrorLike" in c for c in types)
    (diagram,) = result.diagrams
    assert "e2 --> e0" in diagram.mermaid or "--> e0" in diagram.mermaid


def test_classes_raised_and_caught_through_a_re_exporting_package(
        analyse_repo: Analyse) -> None:
    files = {**ERRORS,
             "app/__init__.py": "from app.errors import AppError, Denied\n",
             "app/api.py": """
                 from app import AppError, Denied
                 def handle(request):
                     try:
                         raise Denied()
                     except AppError:
                         return 500
             """}
    types = claims(section(analyse_repo, files), "Error types")
    assert ("`AppError` in `app.errors`, subclass of `Exception`: raised at 0 places, caught "
            "at 1 place.") in types
    assert ("`Denied` in `app.errors`, subclass of `HTTPException`: raised at 1 place, "
            "caught at 0 places.") in types


def test_parent_is_the_first_exception_base_wherever_it_is_defined(
        analyse_repo: Analyse) -> None:
    # ``Retry`` comes first in the file and names a base defined after it (in another module
    # imported at the top): its parent is that class, not the built-in exception after it.
    result = section(analyse_repo, {
        "app/__init__.py": "",
        "app/a.py": """
            from app.b import Transient
            class Retry(Transient, RuntimeError):
                pass
            class Looped(Looped2):
                pass
            class Looped2(Looped):
                pass
        """,
        "app/b.py": """
            class Transient(Exception):
                pass
        """,
    })
    types = claims(result, "Error types")
    assert types[0] == "2 exception classes defined in the code, under 1 root: `Transient`."
    assert "`Retry` in `app.a`, subclass of `Transient`: raised at 0 places, caught at 0 " \
        "places." in types
    assert not any("Looped" in claim for claim in types)


def test_no_exception_classes_says_what_was_looked_for(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {"app/__init__.py": "class Plain:\n    pass\n",
                                    "app/x.py": "def f():\n    raise ValueError('x')\n"})
    types = claims(result, "Error types")
    assert types[0].startswith("No exception class is defined in the code: looked for")
    assert types[1] == "Built-in exceptions raised most: `ValueError` at 1 place."
    assert result.diagrams == []


def test_global_handlers_from_decorators_and_calls(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "web/__init__.py": "",
        "web/app.py": """
            from flask import Flask
            app = Flask(__name__)
            @app.errorhandler(404)
            def not_found(error):
                return "missing", 404
            app.register_error_handler(500, crashed)
        """,
        "web/framework.py": """
            class Scaffold:
                def errorhandler(self, code):
                    self.register_error_handler(code, None)
        """,
        "web/api.py": """
            from fastapi import FastAPI
            api = FastAPI(exception_handlers={404: missing}, title="x")
        """,
    })
    strategy = claims(result, "Strategy")
    assert "Global exception handlers passed to `FastAPI(exception_handlers=...)`." in strategy
    strategy = [c for c in strategy if "exception_handlers=" not in c]
    assert strategy[0] == ("Global exception handler `not_found` registered with "
                           "`@app.errorhandler`.")
    assert strategy[1] == ("Global exception handler registered with "
                           "`app.register_error_handler(500, crashed)`.")
    assert not any("self." in c for c in strategy)


def test_no_handlers_and_no_recovery_are_said_plainly(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {"lib/__init__.py": "def f():\n    return 1\n"})
    assert claims(result, "Strategy")[0].startswith("No global exception handler found")
    assert claims(result, "Recovery mechanisms")[0].startswith("None found: looked for")


def test_retries_timeouts_and_exit_statuses(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "svc/__init__.py": "",
        "svc/client.py": """
            import sys
            import requests
            from tenacity import retry, stop_after_attempt
            from django.core.cache import cache
            from flask_caching import Cache
            store = Cache()
            @retry(stop=stop_after_attempt(3))
            def fetch(url):
                cache.set(url, 1, timeout=30)  # how long the value is kept: no wait
                requests.head(url, timeout=None)  # waits without a bound
            def head(url, timeout):
                return requests.head(url, timeout=timeout)  # its caller's timeout
            async def poll(client):
                async with asyncio.timeout(10):
                    await client.get()
                return requests.get(url, timeout=5)
            @store.cached(timeout=60)
            def page():
                pass
            def main():
                sys.exit(2)
            def run(args):
                sys.exit(args.func())
        """,
        "svc/tasks.py": """
            from celery import shared_task
            @shared_task(autoretry_for=(IOError,), max_retries=3)
            def send(x):
                pass
            @shared_task(autoretry_for=(IOError,), max_retries=3)
            def resend(x):
                pass
        """,
        "svc/fake.py": "def retry(f):\n    return f\n@retry\ndef g():\n    pass\n",
        "svc/helpers.py": """
            import asyncio
            def retry_async(limit=3):
                def wrap(func):
                    async def call(*args):
                        for attempt in range(limit):
                            try:
                                return await func(*args)
                            except OSError:
                                await asyncio.sleep(2 ** attempt)
                    return call
                return wrap
            @retry_async(limit=5)
            async def notify(message):
                pass
        """,
    })
    recovery = claims(result, "Recovery mechanisms")
    assert "`fetch` is retried by `@retry`." in recovery
    assert "`notify` is retried by `@retry_async` (the repository's own)." in recovery
    assert ("Retries configured on `shared_task` (autoretry_for=..., max_retries=3) "
            "(2 places).") in recovery
    assert "2 calls set an explicit timeout (`timeout=`, `asyncio.timeout()`, ...)." in recovery
    assert ("The process ends with exit status `2` and 1 exit status computed at run time at "
            "2 places.") in recovery
    assert not any("`g`" in c for c in recovery)  # a local function named retry is not tenacity


def test_broad_swallowing_excepts_are_risks_and_narrow_ones_are_not(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "m/__init__.py": "",
        "m/a.py": """
            def quiet():
                try:
                    work()
                except Exception:
                    pass
            def bare():
                try:
                    work()
                except:
                    return None
            def narrow():
                try:
                    work()
                except KeyError:
                    pass
            def logged():
                try:
                    work()
                except Exception:
                    log.exception("x")
        """,
    })
    risks = claims(result, "Risks")
    assert risks == [
        "A `except Exception` in `quiet` passes over every error silently.",
        "A bare `except:` in `bare` passes over every error silently.",
        "1 broad except clause (`except Exception` or bare) handles every error alike.",
    ]


def test_tests_are_not_part_of_the_error_handling(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "app/__init__.py": "",
        "tests/test_x.py": "def test_x():\n    try:\n        f()\n    except Exception:\n"
                           "        pass\n",
    })
    assert claims(result, "Risks")[0].startswith("No broad")


def test_http_error_mapping_by_status(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "api/__init__.py": "",
        "api/routes.py": """
            from fastapi import HTTPException, status
            def read(item):
                if item is None:
                    raise HTTPException(status_code=404, detail="gone")
                if not item.visible:
                    raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
                raise HTTPException(status.HTTP_403_FORBIDDEN, "no")
            def computed(code):
                raise HTTPException(status_code=code)
        """,
        "web/__init__.py": "",
        "web/views.py": """
            from flask import abort
            from django.http import Http404
            def page(x):
                if x:
                    abort(400)
                raise Http404("missing")
        """,
        "web/local.py": "def abort(code):\n    return code\ndef f():\n    abort(500)\n",
    })
    strategy = claims(result, "Strategy")
    assert ("Errors become HTTP responses with status 400 (1 place), 403 (1 place), "
            "404 (3 places), a status computed at run time (1 place).") in strategy
    assert not any("500" in c for c in strategy)


def test_django_error_views_and_rest_framework_handler(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "site/__init__.py": "",
        "site/urls.py": "from site import views\nhandler404 = 'site.views.missing'\n"
                        "handler500 = views.crashed\nhandler = 'not an error view'\n",
        "site/settings.py": "REST_FRAMEWORK = {'EXCEPTION_HANDLER': 'site.errors.api'}\n",
    })
    strategy = claims(result, "Strategy")
    assert "Error view `handler404` is 'site.views.missing'." in strategy
    assert "Error view `handler500` is views.crashed." in strategy
    assert ("`REST_FRAMEWORK`: REST framework exceptions are handled by `site.errors.api`."
            in strategy)
    assert not any("`handler`" in c for c in strategy)


def test_event_loop_exception_handlers_and_signal_handlers(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "svc/__init__.py": "",
        "svc/main.py": """
            import asyncio
            import signal
            from signal import SIGINT, SIG_IGN
            def crashed(loop, context): ...
            def stop(signum, frame): ...
            def main():
                loop = asyncio.new_event_loop()
                loop.set_exception_handler(crashed)
                loop.add_signal_handler(signal.SIGTERM, loop.stop)
                signal.signal(signal.SIGTERM, stop)
                signal.signal(SIGINT, SIG_IGN)
            class Worker:
                def run(self):
                    signal.signal(signal.SIGTERM, stop)
        """,
        "svc/boot.py": "import asyncio\nloop = asyncio.new_event_loop()\n"
                       "loop.set_exception_handler(print)\n",
        "svc/other.py": """
            def signal(number, handler): ...
            def go():
                signal(1, go)  # a local function named signal
                # signal.signal(signal.SIGHUP, reload) in a comment
                return "loop.set_exception_handler(h)"
        """,
    })
    assert claims(result, "Strategy")[:-1] == [
        "The event loop's handler for exceptions no task handles is set with "
        "`loop.set_exception_handler(print)`.",
        "The event loop's handler for exceptions no task handles is set with "
        "`loop.set_exception_handler(crashed)` in `main`.",
        "A signal handler is installed on the event loop with "
        "`loop.add_signal_handler(signal.SIGTERM, loop.stop)` in `main`.",
        "Signal `SIGINT` is ignored (`signal.signal`, 1 place).",
        "Signal `SIGTERM` is handled by `stop` (`signal.signal`, 2 places).",
    ]


def test_exception_hooks_assigned(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "svc/__init__.py": "",
        "svc/main.py": """
            import sys
            import threading as th
            def report(*args): ...
            sys.excepthook = report
            def main():
                th.excepthook = report
        """,
        "svc/other.py": """
            class Options:
                excepthook = None
            options = Options()
            options.excepthook = print  # an attribute of the repository's own object
            # sys.excepthook = report in a comment
            text = "sys.unraisablehook = report"
        """,
    })
    hooks = [c for c in claims(result, "Strategy") if "hook" in c]
    assert hooks == [
        "`sys.excepthook` is set to `report`: it receives the uncaught exceptions of the main "
        "thread.",
        "`threading.excepthook` is set to `report` in `main`: it receives the uncaught "
        "exceptions of other threads.",
    ]
