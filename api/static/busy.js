// Long uploads (a list with its legal bases, a year of 12345 records) take seconds: say so and stop a second click.
document.querySelectorAll("form.busy-form").forEach((f) => {
  f.addEventListener("submit", () => {
    const b = f.querySelector("button[type=submit]");
    if (b) { b.disabled = true; b.textContent = "处理中, 请稍候…"; }
  });
});
