// Law version diff: "only changed articles" toggle (no inline script: the CSP allows our own files only).
(function () {
  const box = document.getElementById("only-changed");
  if (box) box.addEventListener("change", () => document.body.classList.toggle("show-all", !box.checked));
})();
