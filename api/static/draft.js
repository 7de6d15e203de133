// A township's draft has hundreds of proposed duties: typing narrows the rows shown (decisions already chosen stay).
const draftFilter = document.getElementById("draft-filter");
if (draftFilter) {
  draftFilter.addEventListener("input", () => {
    const q = draftFilter.value.trim();
    document.querySelectorAll("table.draft tbody tr").forEach((row) => {
      const chosen = row.querySelector("select") && row.querySelector("select").value !== "";
      row.style.display = q !== "" && !chosen && !row.textContent.includes(q) ? "none" : "";
    });
  });
}
