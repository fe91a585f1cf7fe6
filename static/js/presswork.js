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
