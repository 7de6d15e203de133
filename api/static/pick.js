// The request form lists every current item of the township (hundreds): typing narrows the checkboxes shown;
// checked items stay visible so nothing chosen is hidden.
const filter = document.getElementById("pick-filter");
if (filter) {
  filter.addEventListener("input", () => {
    const q = filter.value.trim();
    document.querySelectorAll(".pick .item-pick").forEach((label) => {
      const box = label.querySelector("input");
      label.style.display = q !== "" && !box.checked && !label.textContent.includes(q) ? "none" : "";
    });
  });
}
