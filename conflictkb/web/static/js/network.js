// The network page: actors (nodes) and the relations between them (edges) from /api/network.json,
// drawn by Cytoscape; clicking an actor opens its profile. Labels are drawn on a canvas as text.
(function () {
  "use strict";
  var box = document.getElementById("network");
  var status = document.getElementById("network-status");
  if (!box || typeof cytoscape === "undefined") {
    return;
  }
  var colours = {
    armed_group: "#b83b3b",
    person: "#3a6ea5",
    organization: "#6b8e23",
    state_actor: "#8a5a9e",
    place: "#c08a1e",
  };
  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }
  fetch(box.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) {
        throw new Error("network data: " + r.status);
      }
      return r.json();
    })
    .then(function (graph) {
      var elements = [];
      graph.nodes.forEach(function (n) {
        elements.push({
          group: "nodes",
          data: { id: n.id, label: n.label, kind: n.kind, url: n.url, degree: n.degree, colour: colours[n.kind] || "#777" },
        });
      });
      graph.edges.forEach(function (e) {
        var label = e.relation + (e.first ? " " + e.first + (e.last && e.last !== e.first ? "–" + e.last : "") : "");
        elements.push({ group: "edges", data: { id: e.id, source: e.source, target: e.target, label: label } });
      });
      var cy = cytoscape({
        container: box,
        elements: elements,
        style: [
          {
            selector: "node",
            style: {
              "background-color": "data(colour)",
              label: "data(label)",
              "font-size": 10,
              "text-valign": "bottom",
              "text-margin-y": 3,
              width: "mapData(degree, 1, 10, 14, 34)",
              height: "mapData(degree, 1, 10, 14, 34)",
            },
          },
          {
            selector: "edge",
            style: {
              width: 1.5,
              "line-color": "#9aa5b1",
              "target-arrow-color": "#9aa5b1",
              "target-arrow-shape": "triangle",
              "curve-style": "bezier",
              label: "data(label)",
              "font-size": 8,
              color: "#555",
              "text-rotation": "autorotate",
            },
          },
          { selector: "node:active, node:selected", style: { "border-width": 2, "border-color": "#222" } },
        ],
        layout: {
          name: "cose",
          animate: false,
          randomize: false,
          nodeRepulsion: function () {
            return 400000;
          },
          idealEdgeLength: function () {
            return 110;
          },
          nodeOverlap: 20,
          gravity: 40,
          numIter: 1500,
          padding: 30,
        },
      });
      cy.on("tap", "node", function (evt) {
        var url = evt.target.data("url");
        if (typeof url === "string" && url.indexOf("/entities/") === 0) {
          window.location.assign(url);
        }
      });
      cy.on("mouseover", "node", function () {
        box.classList.add("pointing");
      });
      cy.on("mouseout", "node", function () {
        box.classList.remove("pointing");
      });
      window.conflictkbNetwork = cy;
      box.dataset.nodes = String(graph.nodes.length);
      say(graph.nodes.length + " actors, " + graph.edges.length + " relations. Click an actor to open its profile.");
    })
    .catch(function (err) {
      say("The network could not be drawn: " + err.message);
    });
})();
