// heaplens report: sortable tables, "show more" rows, and the dominator treemap. No network, no library.
(function () {
  "use strict";

  function fmtBytes(n) {
    var u = ["B", "KB", "MB", "GB", "TB"], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + " " + u[i];
  }

  // ---- tables: click a header to sort; rows past data-initial stay hidden until "show all"
  function cellValue(row, col, numeric) {
    var cell = row.cells[col];
    if (!cell) { return numeric ? -Infinity : ""; }
    if (numeric) { var v = parseFloat(cell.getAttribute("data-v")); return isNaN(v) ? -Infinity : v; }
    return cell.textContent.toLowerCase();
  }

  function applyLimit(table) {
    var initial = parseInt(table.getAttribute("data-initial") || "0", 10);
    var all = table.getAttribute("data-expanded") === "true" || initial <= 0;
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) { rows[i].classList.toggle("hidden", !all && i >= initial); }
  }

  function sortTable(table, col, th) {
    var numeric = th.classList.contains("n");
    var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
    if (!th.hasAttribute("aria-sort") && !numeric) { dir = "ascending"; }
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, col, numeric), y = cellValue(b, col, numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return dir === "ascending" ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    applyLimit(table);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.addEventListener("click", function () { sortTable(table, col, th); });
    });
    applyLimit(table);
  });

  Array.prototype.forEach.call(document.querySelectorAll("button.more"), function (button) {
    button.addEventListener("click", function () {
      var table = document.getElementById(button.getAttribute("data-table"));
      var expanded = table.getAttribute("data-expanded") === "true";
      table.setAttribute("data-expanded", expanded ? "false" : "true");
      button.textContent = expanded ? button.getAttribute("data-more") : "Show fewer";
      applyLimit(table);
    });
  });

  // ---- the treemap of the dominator tree: squarified layout, one level at a time, click to drill down
  var dataElement = document.getElementById("treemap-data");
  var canvas = document.getElementById("treemap-canvas");
  if (!dataElement || !canvas) { return; }
  var root = JSON.parse(dataElement.textContent);
  var crumbs = document.getElementById("treemap-crumbs");
  var trail = [root];

  function simpleName(c) {
    var s = c.replace(/^class /, "");
    var cut = s.lastIndexOf(".");
    return (c.indexOf("class ") === 0 ? "class " : "") + (cut >= 0 ? s.substring(cut + 1) : s);
  }

  function hue(name) {
    var h = 0;
    for (var i = 0; i < name.length; i++) { h = (h * 31 + name.charCodeAt(i)) | 0; }
    return Math.abs(h) % 360;
  }

  function worst(row, side) {
    var s = 0, max = 0, min = Infinity;
    row.forEach(function (it) { s += it.a; max = Math.max(max, it.a); min = Math.min(min, it.a); });
    return Math.max(side * side * max / (s * s), (s * s) / (side * side * min));
  }

  // Bruls, Huizing and van Wijk's squarified treemap: rows of cells whose aspect ratios stay near 1.
  function squarify(items, x, y, w, h) {
    var total = 0;
    items.forEach(function (it) { total += it.v; });
    if (total <= 0) { return []; }
    var scale = (w * h) / total, out = [], row = [], i = 0;
    items.forEach(function (it) { it.a = it.v * scale; });
    function layout(row) {
      var s = 0;
      row.forEach(function (it) { s += it.a; });
      if (w >= h) {
        var cw = s / h, yy = y;
        row.forEach(function (it) { var hh = it.a / cw; out.push({ item: it, x: x, y: yy, w: cw, h: hh }); yy += hh; });
        x += cw; w -= cw;
      } else {
        var rh = s / w, xx = x;
        row.forEach(function (it) { var ww = it.a / rh; out.push({ item: it, x: xx, y: y, w: ww, h: rh }); xx += ww; });
        y += rh; h -= rh;
      }
    }
    while (i < items.length) {
      var side = Math.min(w, h);
      if (row.length === 0 || worst(row.concat([items[i]]), side) <= worst(row, side)) { row.push(items[i]); i++; }
      else { layout(row); row = []; }
    }
    if (row.length) { layout(row); }
    return out;
  }

  function cellText(title, detail) {
    var b = document.createElement("b");
    b.textContent = title;
    var span = document.createElement("span");
    span.textContent = detail;
    return [b, span];
  }

  function draw() {
    var node = trail[trail.length - 1];
    while (canvas.firstChild) { canvas.removeChild(canvas.firstChild); }
    var items = node.children.map(function (c) { return { v: c.retainedBytes, node: c }; });
    var rest = node.otherBytes + node.shallowBytes;
    if (rest > 0) { items.push({ v: rest, rest: true }); }
    items = items.filter(function (it) { return it.v > 0; });
    items.sort(function (a, b) { return b.v - a.v; });
    var rects = squarify(items, 0, 0, canvas.clientWidth, canvas.clientHeight);
    rects.forEach(function (r) {
      var div = document.createElement("div");
      div.className = "cell";
      div.style.left = r.x + "px"; div.style.top = r.y + "px";
      div.style.width = Math.max(0, r.w) + "px"; div.style.height = Math.max(0, r.h) + "px";
      var pct = node.retainedBytes > 0 ? (100 * r.item.v / root.retainedBytes).toFixed(1) + "% of the heap" : "";
      if (r.item.rest) {
        div.classList.add("rest");
        var what = node.id === null ? "smaller objects" : "itself and " + node.otherCount + " smaller objects";
        cellText(what, fmtBytes(r.item.v)).forEach(function (e) { div.appendChild(e); });
        div.title = what + ": " + fmtBytes(r.item.v) + " (" + pct + ")";
      } else {
        var c = r.item.node;
        div.style.background = "hsl(" + hue(c["class"]) + ", 55%, 78%)";
        var title = simpleName(c["class"]);
        var detail = fmtBytes(c.retainedBytes) + (c.heldBy ? " · " + c.heldBy : "");
        cellText(title, detail).forEach(function (e) { div.appendChild(e); });
        div.title = c["class"] + "@" + c.id + (c.heldBy ? "\nheld by " + c.heldBy : "") + "\nretains " + fmtBytes(c.retainedBytes)
            + " (" + pct + "), itself " + fmtBytes(c.shallowBytes);
        div.setAttribute("data-id", c.id);
        if (c.children.length > 0) {
          div.classList.add("open");
          div.addEventListener("click", function () { trail.push(c); draw(); });
        }
      }
      canvas.appendChild(div);
    });
    while (crumbs.firstChild) { crumbs.removeChild(crumbs.firstChild); }
    trail.forEach(function (n, depth) {
      if (depth > 0) { crumbs.appendChild(document.createTextNode(" › ")); }
      var label = n.id === null ? "All reachable objects (" + fmtBytes(n.retainedBytes) + ")"
          : simpleName(n["class"]) + "@" + n.id + " (" + fmtBytes(n.retainedBytes) + ")";
      if (depth === trail.length - 1) {
        var s = document.createElement("span"); s.textContent = label; crumbs.appendChild(s);
      } else {
        var a = document.createElement("a");
        a.textContent = label;
        a.addEventListener("click", function () { trail.length = depth + 1; draw(); });
        crumbs.appendChild(a);
      }
    });
  }

  draw();
  var pending = null;
  window.addEventListener("resize", function () { clearTimeout(pending); pending = setTimeout(draw, 100); });
  window.heaplensTreemap = { trail: trail, draw: draw };
})();
