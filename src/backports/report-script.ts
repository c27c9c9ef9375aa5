/**
 * The report's behaviour, inlined: row colours follow the selected verdict, "start here" hides
 * the rows before it ("All" shows them again), the checkboxes hide verdicts, and the text area's
 * cid_y/cid_w/cid_u/cid_n lists are redrawn on every click. Plain DOM, no library.
 */
export const REPORT_SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.commit"));
  var area = document.getElementById("cids");
  function selected(row) {
    var checked = row.querySelector("td.verdicts input:checked");
    return checked ? checked.value : null;
  }
  function paint(row) {
    var verdict = selected(row);
    if (!verdict) return;
    row.classList.remove("v-n", "v-u", "v-w", "v-y");
    row.classList.add("v-" + verdict);
  }
  function redraw() {
    var lists = { y: [], w: [], u: [], n: [] };
    var counts = { y: 0, w: 0, u: 0, n: 0 };
    rows.forEach(function (row) {
      var verdict = selected(row);
      if (!verdict) return;
      counts[verdict] += 1;
      if (row.classList.contains("before-start")) return;
      lists[verdict].push(row.getAttribute("data-sha"));
    });
    document.querySelectorAll("span.count").forEach(function (span) {
      span.textContent = String(counts[span.getAttribute("data-verdict")]);
    });
    area.value = ["y", "w", "u", "n"].map(function (key) {
      return "cid_" + key + "=( " + lists[key].join(" ") + (lists[key].length ? " " : "") + ")";
    }).join("\\n") + "\\n";
  }
  function applyStart() {
    var checked = document.querySelector("input.start:checked");
    var start = checked ? Number(checked.value) : 0;
    rows.forEach(function (row) {
      row.classList.toggle("before-start", Number(row.getAttribute("data-index")) < start);
    });
    redraw();
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    if (target.classList.contains("start")) { applyStart(); return; }
    if (target.classList.contains("show")) {
      document.body.classList.toggle("hide-" + target.getAttribute("data-verdict"), !target.checked);
      return;
    }
    if (target.id === "show-backported") {
      document.body.classList.toggle("hide-backported", !target.checked);
      return;
    }
    var row = target.closest("tr.commit");
    if (row) { paint(row); redraw(); }
  });
  document.getElementById("all").addEventListener("click", function () {
    document.querySelectorAll("input.start:checked").forEach(function (input) { input.checked = false; });
    applyStart();
  });
  rows.forEach(paint);
  applyStart();
})();
`;
