// The console's own script: the tree's branches, the neighbourhood drawn on an entity's page,
// and the upload's progress. No inline script anywhere (the pages' policy forbids it); the
// data a page hands over sits in <script type="application/json"> blocks, read as text.
(function () {
  "use strict";

  // -- the tree: a branch is fetched once (htmx), then opened and closed here --------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.toggle");
    if (!button) return;
    var item = button.closest("li");
    var group = item.querySelector(":scope > ul");
    if (!item.dataset.loaded) return; // the first click: htmx fetches the branch
    var open = item.getAttribute("aria-expanded") !== "true";
    group.hidden = !open;
    item.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "▾" : "▸";
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var group = event.detail.target;
    if (!group || group.getAttribute("role") !== "group") return;
    var item = group.closest("li");
    item.dataset.loaded = "1";
    group.hidden = false;
    item.setAttribute("aria-expanded", "true");
    var button = item.querySelector(":scope > .node > button.toggle");
    if (button) button.textContent = "▾";
  });

  // -- an entity's neighbourhood ------------------------------------------------------------
  function drawNetwork() {
    var holder = document.getElementById("network");
    var data = document.getElementById("network-data");
    if (!holder || !data || typeof vis === "undefined") return;
    var parsed = JSON.parse(data.textContent);
    var nodes = new vis.DataSet(parsed.nodes);
    var edges = new vis.DataSet(parsed.edges.map(function (e, i) {
      return { id: i, from: e.from, to: e.to, title: e.title, arrows: "to" };
    }));
    var network = new vis.Network(holder, { nodes: nodes, edges: edges }, {
      nodes: { shape: "dot", font: { size: 14, strokeWidth: 3, strokeColor: "#ffffff" } },
      edges: { color: "#8a8a8a", smooth: false },
      physics: { solver: "barnesHut", stabilization: { iterations: 150 },
                 barnesHut: { gravitationalConstant: -3000, springLength: 90 } },
      interaction: { hover: true, tooltipDelay: 120 }
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      network.fit();
    });
    network.on("doubleClick", function (params) {
      if (!params.nodes.length) return;
      var node = nodes.get(params.nodes[0]);
      if (node && node.href) window.location.href = node.href;
    });
    window.orgnetNetwork = { nodes: nodes.length, edges: edges.length, network: network };
  }

  // -- uploading: the file's bytes, then the load's rows ------------------------------------
  function upload(form, mode) {
    var progress = form.querySelector(".progress");
    var bar = form.querySelector("progress");
    var phase = document.getElementById("u-phase");
    var buttons = form.querySelectorAll("button");
    var token = "";
    var letters = new Uint8Array(18);
    window.crypto.getRandomValues(letters);
    letters.forEach(function (b) { token += ("0" + b.toString(16)).slice(-2); });
    var data = new FormData(form);
    data.set("mode", mode);
    data.set("token", token);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    var csrf = form.querySelector("input[name=csrf]").value;
    request.setRequestHeader("X-CSRF-Token", csrf);
    progress.hidden = false;
    buttons.forEach(function (b) { b.disabled = true; });
    phase.textContent = phase.dataset.sending || phase.textContent;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
    });
    var polling = window.setInterval(function () {
      var ask = new XMLHttpRequest();
      ask.open("GET", "/upload/progress?token=" + token);
      ask.onload = function () {
        if (ask.status !== 200) return;
        var state = JSON.parse(ask.responseText);
        if (!state.phase) return;
        phase.textContent = form.dataset["phase" + state.phase.replace(/\s/g, "")] || state.phase;
        if (state.total) { bar.value = Math.min(100, Math.round(100 * state.done / state.total)); }
        else { bar.removeAttribute("value"); }
      };
      ask.send();
    }, 500);
    request.onloadend = function () {
      window.clearInterval(polling);
      buttons.forEach(function (b) { b.disabled = false; });
      progress.hidden = true;
      var page = new DOMParser().parseFromString(request.responseText || "", "text/html");
      var result = page.getElementById("result");
      var here = document.getElementById("result");
      if (result && here) {
        here.replaceWith(result);
        result.setAttribute("tabindex", "-1");
        result.focus();
      }
    };
    request.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "upload" || !window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    var mode = event.submitter && event.submitter.value ? event.submitter.value : "check";
    upload(form, mode);
  });

  // After every deferred script (vis-network's among them) has run.
  if (document.readyState === "complete") {
    drawNetwork();
  } else {
    document.addEventListener("DOMContentLoaded", drawNetwork);
  }
})();
