"""Factory: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import factory

from .helpers import Analyse, detect, labels

PAYMENTS = {
    "pay/__init__.py": "",
    "pay/models.py": """
        class Order: ...
        class Refund: ...
        class Gateway:
            @classmethod
            def from_settings(cls, settings):
                return cls(settings.url)
            def copy(self):
                return Gateway()
    """,
    "pay/make.py": """
        from pay.models import Order, Refund
        def make(kind):
            if kind == "refund":
                return Refund()
            return Order()
    """,
}


def test_functions_choosing_a_class_and_alternative_constructors(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, factory.DETECTOR, PAYMENTS)
    assert labels(found) == ["make", "Gateway.from_settings"]
    assert found is not None and found.confidence == 0.85
    assert "`make()` returns `Refund` or `Order`" in found.implementation
    assert found.purpose.endswith("`make` and `Gateway.from_settings` in `pay`.")


def test_classes_of_one_name_are_told_apart(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, factory.DETECTOR, {"aio/__init__.py": "", "aio/events.py": """
        import asyncio
        import trio
        def create_event(use_trio):
            if use_trio:
                return trio.Event()
            return asyncio.Event()
    """})
    assert found is not None
    assert "`create_event()` returns `trio.Event` or `asyncio.Event`" in found.implementation


def test_class_held_in_a_class_attribute(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, factory.DETECTOR, {"app/__init__.py": "", "app/core.py": """
        class Config: ...
        class App:
            config_class = Config
            debug = True
            def make_config(self):
                return self.config_class()
            def make_debug(self):
                return self.debug()
    """})
    assert labels(found) == ["App.make_config"]
    assert found is not None and "`config_class` (`Config` unless replaced)" in (
        found.implementation)


def test_one_class_or_responses_are_not_factories(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, factory.DETECTOR, {"app/__init__.py": "", "app/views.py": """
        from django.http import HttpResponseRedirect
        from django.template.response import TemplateResponse
        class Order: ...
        class OrderFactory:
            def create(self, x):
                return Order(x)
            def __copy__(self):
                return Order()
        def view(request):
            if request.POST:
                return HttpResponseRedirect("/")
            return TemplateResponse(request, "x.html")
    """}) is None


def test_views_returning_redirects_or_responses_are_not_factories(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, factory.DETECTOR, {"web/__init__.py": "", "web/views.py": """
        from pyramid.httpexceptions import HTTPSeeOther, HTTPNotFound
        from rest_framework.response import Response
        def login(request):
            if request.user:
                return HTTPSeeOther("/")
            return HTTPNotFound()
        def api(request):
            if request.data:
                return Response({})
            return Response(status=204)
    """}) is None


def test_result_types_and_capitalised_functions_are_not_products(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, factory.DETECTOR, {"fmt/__init__.py": "", "fmt/rules.py": """
        class Ok:
            def __init__(self, value): self.value = value
        class Err:
            def __init__(self, error): self.error = error
        def TErr(message):
            return Err(ValueError(message))
        def check(line):
            if not line:
                return TErr("empty")
            return Ok(line)
        def parse(text):
            if text:
                return Ok(text)
            return Err(ValueError(text))
    """}) is None
