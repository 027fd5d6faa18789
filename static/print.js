// Buttons marked data-print open the browser's print dialog (the CSP allows no inline handlers).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
