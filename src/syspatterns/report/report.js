/* syspatterns report: the component graph's pan, zoom, selection and views, and the
   document's filters. No dependencies; runs once the page has loaded. */
(function () {
  "use strict";

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  document.querySelectorAll(".doc-section").forEach(function (section) {
    var input = section.querySelector(".filter-input");
    var entries = section.querySelectorAll("details.subsection");
    if (input) {
      input.addEventListener("input", function () {
        var wanted = input.value.trim().toLowerCase();
        entries.forEach(function (entry) {
          var title = entry.querySelector("summary").textContent.toLowerCase();
          entry.hidden = wanted !== "" && title.indexOf(wanted) === -1;
        });
      });
    }
    var expand = section.querySelector(".expand-all");
    var collapse = section.querySelector(".collapse-all");
    if (expand) { expand.addEventListener("click", function () { setOpen(entries, true); }); }
    if (collapse) { collapse.addEventListener("click", function () { setOpen(entries, false); }); }
  });

  function setOpen(entries, open) {
    entries.forEach(function (entry) { if (!entry.hidden) { entry.open = open; } });
  }

  var figure = document.querySelector("figure.graph");
  if (!figure) { return; }
  var svg = figure.querySelector("svg.canvas");
  var panel = figure.querySelector(".panel");
  var panelBody = panel.querySelector(".panel-body");
  var toggle = figure.querySelector(".toggle-view");
  var find = figure.querySelector(".find");
  var views = {};
  figure.querySelectorAll("g.view").forEach(function (view) {
    views[view.getAttribute("data-view")] = view;
  });
  var templates = {};
  var idOfName = {};
  figure.querySelectorAll(".details template").forEach(function (template) {
    templates[template.getAttribute("data-id")] = template;
    if (template.hasAttribute("data-name")) {
      idOfName[template.getAttribute("data-name")] = template.getAttribute("data-id");
    }
  });
  var MIN_SCALE = 0.75;
  var MAX_SCALE = 1.4;
  var current = figure.getAttribute("data-initial");
  var selected = null;
  var box = null;

  function setBox(next) {
    box = next;
    svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].join(" "));
  }

  function fit() {
    var view = views[current];
    var width = parseFloat(view.getAttribute("data-width"));
    var height = parseFloat(view.getAttribute("data-height"));
    setBox({ x: -20, y: -20, w: width + 40, h: height + 40 });
  }

  // The first view: the whole graph, unless its labels would be too small to read (then
  // its top left at a readable scale) or oversized (then centred at a natural scale).
  function overview() {
    fit();
    var rect = svg.getBoundingClientRect();
    var scale = Math.min(rect.width / box.w, rect.height / box.h);
    if (!(scale > 0) || (scale >= MIN_SCALE && scale <= MAX_SCALE)) { return; }
    var shown = scale < MIN_SCALE ? MIN_SCALE : MAX_SCALE;
    var w = rect.width / shown;
    var h = rect.height / shown;
    var x = scale < MIN_SCALE && box.w > w ? box.x : box.x + (box.w - w) / 2;
    var y = box.h > h ? box.y : box.y + (box.h - h) / 2;
    setBox({ x: x, y: y, w: w, h: h });
  }

  // Shift the graph so that a node is not hidden behind the side panel.
  function keepVisible(id) {
    var node = nodeOf(id).getBoundingClientRect();
    var stage = svg.getBoundingClientRect();
    var free = panel.hidden ? stage.right : panel.getBoundingClientRect().left;
    if (node.right + 16 <= free && node.left >= stage.left) { return; }
    var target = stage.left + (free - stage.left) / 2;
    var scale = Math.min(stage.width / box.w, stage.height / box.h);
    setBox({ x: box.x + (node.left + node.width / 2 - target) / scale, y: box.y,
             w: box.w, h: box.h });
  }

  function toGraph(clientX, clientY) {
    var matrix = svg.getScreenCTM();
    var point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return { x: point.x, y: point.y };
  }

  function zoom(factor, clientX, clientY) {
    var rect = svg.getBoundingClientRect();
    if (clientX === undefined) {
      clientX = rect.left + rect.width / 2;
      clientY = rect.top + rect.height / 2;
    }
    var w = box.w * factor;
    if (w < 120 || w > 40000) { return; }
    var at = toGraph(clientX, clientY);
    setBox({ x: at.x - (at.x - box.x) * factor, y: at.y - (at.y - box.y) * factor,
             w: w, h: box.h * factor });
  }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoom(Math.exp(event.deltaY * 0.0015), event.clientX, event.clientY);
  }, { passive: false });

  var drag = null;
  var dragged = false;  // the click that ends a drag selects nothing
  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    dragged = false;
    drag = { start: toGraph(event.clientX, event.clientY), x: event.clientX, y: event.clientY,
             moved: false, box: box, matrix: svg.getScreenCTM().inverse() };
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    if (!drag.moved && Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 4) {
      return;
    }
    if (!drag.moved) {
      drag.moved = true;
      svg.setPointerCapture(event.pointerId);
      svg.classList.add("dragging");
    }
    var now = new DOMPoint(event.clientX, event.clientY).matrixTransform(drag.matrix);
    setBox({ x: drag.box.x - (now.x - drag.start.x), y: drag.box.y - (now.y - drag.start.y),
             w: drag.box.w, h: drag.box.h });
  });
  function endDrag(event) {
    if (drag && drag.moved) {
      svg.classList.remove("dragging");
      if (svg.hasPointerCapture(event.pointerId)) { svg.releasePointerCapture(event.pointerId); }
      dragged = true;
    }
    drag = null;
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  function nodeOf(id) {
    return views[current].querySelector('.node[data-id="' + id + '"]');
  }

  function clearSelection() {
    svg.classList.remove("focus");
    svg.querySelectorAll(".selected, .neighbour, .active").forEach(function (element) {
      element.classList.remove("selected", "neighbour", "active");
    });
    selected = null;
    panel.hidden = true;
    figure.removeAttribute("data-selected");
  }

  function select(id) {
    var node = nodeOf(id);
    if (!node) { return false; }
    clearSelection();
    selected = id;
    node.classList.add("selected");
    views[current].querySelectorAll(".edge").forEach(function (edge) {
      var source = edge.getAttribute("data-source");
      var target = edge.getAttribute("data-target");
      if (source === id || target === id) {
        edge.classList.add("active");
        var other = nodeOf(source === id ? target : source);
        if (other) { other.classList.add("neighbour"); }
      }
    });
    svg.classList.add("focus");
    figure.setAttribute("data-selected", id);
    panelBody.textContent = "";
    panelBody.appendChild(templates[id].content.cloneNode(true));
    panel.hidden = false;
    return true;
  }

  function center(id) {
    var node = nodeOf(id);
    var bounds = node.getBBox();
    var matrix = node.transform.baseVal.consolidate().matrix;
    var cx = matrix.e + bounds.x + bounds.width / 2;
    var cy = matrix.f + bounds.y + bounds.height / 2;
    var w = Math.min(box.w, 1600);
    var h = box.h * w / box.w;
    setBox({ x: cx - w / 2, y: cy - h / 2, w: w, h: h });
  }

  function showView(name) {
    if (!views[name] || name === current) { return; }
    clearSelection();
    views[current].setAttribute("display", "none");
    views[name].removeAttribute("display");
    var other = current;
    current = name;
    figure.setAttribute("data-current", current);
    if (toggle) {
      toggle.setAttribute("data-other", other);
      toggle.textContent = name === "components" ? "Group by package" :
        "Show all " + views.components.querySelectorAll(".node").length + " components";
    }
    overview();
  }

  function reveal(id) {
    if (!nodeOf(id) && current !== "components") { showView("components"); }
    if (select(id)) {
      center(id);
      keepVisible(id);
    }
  }

  svg.addEventListener("click", function (event) {
    if (dragged) { dragged = false; return; }
    var node = event.target.closest(".node");
    if (node) {
      var id = node.getAttribute("data-id");
      if (id === selected) {
        clearSelection();
      } else if (select(id)) {
        keepVisible(id);
      }
    } else {
      clearSelection();
    }
  });
  svg.addEventListener("keydown", function (event) {
    var node = event.target.closest && event.target.closest(".node");
    if (node && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(node.getAttribute("data-id"));
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && selected) { clearSelection(); }
  });
  panel.querySelector(".close").addEventListener("click", clearSelection);
  panel.addEventListener("click", function (event) {
    var button = event.target.closest("[data-select]");
    if (button) { reveal(button.getAttribute("data-select")); }
  });
  figure.querySelector(".zoom-in").addEventListener("click", function () { zoom(1 / 1.25); });
  figure.querySelector(".zoom-out").addEventListener("click", function () { zoom(1.25); });
  figure.querySelector(".fit").addEventListener("click", fit);
  if (toggle) {
    toggle.addEventListener("click", function () { showView(toggle.getAttribute("data-other")); });
  }
  function findComponent() {
    var id = idOfName[find.value.trim()];
    if (id) { reveal(id); }
  }
  find.addEventListener("change", findComponent);
  find.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { findComponent(); }
  });

  figure.setAttribute("data-current", current);
  overview();
  figure.setAttribute("data-ready", "true");
})();
