"""Middleware: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import middleware

from .helpers import Analyse, detect, labels


def test_middleware_classes_and_installation(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, middleware.DETECTOR, {
        "web/__init__.py": "",
        "web/middleware.py": """
            from django.utils.deprecation import MiddlewareMixin
            class TimingMiddleware:
                def __init__(self, get_response):
                    self.get_response = get_response
                def __call__(self, request):
                    return self.get_response(request)
            class AuditMiddleware(MiddlewareMixin):
                def process_request(self, request): ...
        """,
        "web/app.py": """
            from fastapi import FastAPI
            from fastapi.middleware.cors import CORSMiddleware
            app = FastAPI()
            app.add_middleware(CORSMiddleware, allow_origins=["*"])
        """,
        "web/settings.py": "MIDDLEWARE = ['web.middleware.TimingMiddleware']\n",
    })
    assert labels(found) == ["AuditMiddleware", "TimingMiddleware", "CORSMiddleware",
                             "MIDDLEWARE"]
    assert found is not None
    assert "`AuditMiddleware` subclasses `MiddlewareMixin` and implements `process_request`" in (
        found.implementation)


def test_holding_an_app_is_not_enough(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, middleware.DETECTOR, {"web/__init__.py": "", "web/ext.py": """
        class Extension:
            def __init__(self, app):
                self.app = app
            def init_app(self, app): ...
    """}) is None


def test_scrapy_middleware_settings(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, middleware.DETECTOR, {
        "crawl/__init__.py": "", "crawl/settings.py": """
        DOWNLOADER_MIDDLEWARES = {"crawl.middlewares.ProxyMiddleware": 610}
        ITEM_PIPELINES = {"crawl.pipelines.Store": 300}
        SPIDER_MIDDLEWARES = {}
    """})
    assert labels(found) == ["DOWNLOADER_MIDDLEWARES"]  # an empty dict lists nothing
