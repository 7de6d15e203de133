// Long tables (a township's 339 items, a department's 400 rows): typing in an <input data-filter="table id">
// narrows the rows shown; the groups (<details>) holding a match open.
document.querySelectorAll("input[data-filter]").forEach((input) => {
  const table = document.getElementById(input.dataset.filter);
  if (!table) return;
  input.addEventListener("input", () => {
    const q = input.value.trim();
    table.querySelectorAll("tbody tr").forEach((row) => {
      row.style.display = q !== "" && !row.textContent.includes(q) ? "none" : "";
    });
    table.querySelectorAll("details").forEach((d) => {
      if (q !== "") d.open = [...d.querySelectorAll("tbody tr")].some((r) => r.style.display !== "none");
    });
  });
});
