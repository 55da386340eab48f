/*
 * Desktop app only: keeps the MessagePort the preload may post (`{ type: 'hostwatch:port' }`) before the
 * app's module script has loaded, which would otherwise be lost. The API client's port transport takes
 * the newest one when it starts. A classic script so it runs during parsing; CSP allows it ('self').
 */
(function () {
  var ports = [];
  window.__hostwatchEarlyPorts = ports;
  window.addEventListener('message', function (ev) {
    if (ev.source !== window || !ev.data || ev.data.type !== 'hostwatch:port' || !ev.ports[0]) return;
    if (window.__hostwatchEarlyPorts) ports.push(ev.ports[0]);
  });
})();
