"""Model-View-Controller (Django's Model-Template-View): stored data, request handling and
presentation kept in separate parts.

Rule: all three are present:

- models: classes derived from a persistent-model base (Django's ``Model``, SQLAlchemy's
  ``DeclarativeBase`` or a ``declarative_base()`` object, ...) that declare fields;
- views: classes derived from a view base (Django's, Flask's, REST framework's), functions
  registered with route decorators of a router object of the repository (``@router.get``
  on ``APIRouter()``, ``@bp.route`` on ``Blueprint()``), or functions of a ``views`` module
  taking the ``request`` first;
- templates: files under a ``templates`` folder.

Not MVC: models and views without templates (an API) are reported with a low confidence,
below the document's threshold, as the presentation is then data, not a layer of its own;
templates without models.
"""

from __future__ import annotations

from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence
from syspatterns.patterns.context import ClassInfo, FunctionInfo, PatternContext
from syspatterns.patterns.detection import Detection, Detector, Site, sites
from syspatterns.patterns.knowledge import names as known

PATTERN = "Model-View-Controller"


def models(context: PatternContext) -> list[ClassInfo]:
    bases = set(known("mvc", "model_bases"))
    factories = known("mvc", "model_base_factories")
    bases.update(name for name, callee in context.objects.items() if callee in factories)
    return [info for info in context.classes.values()
            if context.derives(info, frozenset(bases)) and info.fact.attributes]


def views(context: PatternContext) -> list[ClassInfo | FunctionInfo]:
    bases = known("mvc", "view_bases")
    routers = known("mvc", "routers")
    methods = known("mvc", "route_methods")
    modules = known("mvc", "view_modules")
    first = known("mvc", "view_first_parameters")
    found: list[ClassInfo | FunctionInfo] = [
        info for info in context.classes.values() if context.derives(info, bases)]
    for function in context.functions.values():
        if function.cls is not None:
            continue
        routed = any(
            method in methods and context.objects.get(head) in routers
            for head, _, method in (context.resolve(function.owner, d).rpartition(".")
                                    for d in function.fact.decorators))
        in_views = (function.owner.module.name.rpartition(".")[2] in modules
                    and function.param_names[:1] and function.param_names[0] in first)
        if routed or in_views:
            found.append(function)
    return found


def templates(context: PatternContext) -> list[str]:
    suffixes = tuple(known("mvc", "template_suffixes"))
    return sorted(f.path for f in context.model.scan.files
                  if ("/templates/" in f"/{f.path}") and f.path.endswith(suffixes))


def detect(context: PatternContext) -> Detection | None:
    found_models, found_views, found_templates = (models(context), views(context),
                                                  templates(context))
    if not found_models or not found_views:
        return None
    mtv = any(m.qualname.startswith(tuple(f"{f}." for f in known("mvc", "mtv_frameworks")))
              or any(b.partition(".")[0] in known("mvc", "mtv_frameworks")
                     for b in context.ancestors(m))
              for m in found_models)
    view_names = [v.name if isinstance(v, ClassInfo) else v.display for v in found_views]
    text = (f"{plural(len(found_models), 'model')} ({names([m.name for m in found_models], 3)})"
            f" declare the stored data; {plural(len(found_views), 'view')} "
            f"({names(view_names, 3)}) handle requests")
    located = [Site(m.name, m.at) for m in found_models[:2]]
    located += [Site(n, v.at) for n, v in zip(view_names[:2], found_views[:2], strict=True)]
    if found_templates:
        folder = found_templates[0].rpartition("/templates/")[0] + "/templates/"
        text += (f"; {plural(len(found_templates), 'template')} (such as "
                 f"{code(found_templates[0])}) render the pages")
        located.append(Site(folder, Evidence(found_templates[0], 1)))
    layers = sorted({context.component(m.owner) for m in found_models}
                    | {context.component(v.owner) for v in found_views})
    return Detection(
        "Model-Template-View (MTV)" if mtv else PATTERN,
        "Keeps stored data, request handling and presentation apart, in "
        + names(layers, limit=6) + ".",
        text + ".",
        sites(located),
        len(found_models) + len(found_views) + len(found_templates),
        0.85 if found_templates else 0.5)


DETECTOR = Detector(
    "Model-View-Controller / Model-Template-View",
    "persistent models, views (view classes, routed functions, `views` modules) and template "
    "files, all three",
    detect)
