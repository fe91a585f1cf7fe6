// Errors htmx does not swap in (a 409 for deleting a product with designs, a 404, a 403) are
// shown in the flash area, with the API's message.
document.addEventListener("htmx:responseError", (event) => {
  let message = "Something went wrong (" + event.detail.xhr.status + ").";
  try {
    message = JSON.parse(event.detail.xhr.responseText).error.message || message;
  } catch (ignored) {}
  const notice = document.createElement("p");
  notice.className = "error";
  notice.textContent = message;
  document.getElementById("flash").replaceChildren(notice);
});

// A secret shown once is selected whole when focused, ready to copy. (A listener here rather than
// an onfocus attribute: the Content-Security-Policy allows no inline script.)
document.addEventListener("focusin", (event) => {
  if (event.target.matches("input[data-select-on-focus]")) event.target.select();
});

// A choice with options of its own (a token's chosen resources, a webhook's chosen events): they
// sit in a fieldset whose legend holds the choice's radio, and can be ticked only while it is
// chosen. A disabled fieldset's boxes are not sent, so the form never sends two choices at once.
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (!form || !event.target.matches('input[type="radio"]')) return;
  for (const group of form.querySelectorAll("fieldset[data-chosen-by-legend]")) {
    const radio = group.querySelector(":scope > legend input[type=radio]");
    if (radio) group.disabled = !radio.checked;
  }
});
