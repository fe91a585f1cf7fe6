// The example shop page (shop.html): it opens the Presswork editor in a frame or sends the
// customer there, and hears back when the customer saves, by a message from the frame or by the
// redirect back to this page. What comes back names the project; a real shop checks it with its
// own server (GET /api/v1/projects/{id} with its secret token) before it puts it in a cart.
(function () {
  "use strict";

  const SAVED = "presswork.saved";
  const here = new URLSearchParams(window.location.search);
  const editorUrl = here.get("editor");

  function element(id) {
    return document.getElementById(id);
  }

  // The editor's page, told where to come back to (this page) and the shop's reference.
  function editorPage(reference) {
    const back = new URL(window.location.pathname, window.location.origin);
    back.searchParams.set("editor", editorUrl);
    const page = new URL(editorUrl);
    page.searchParams.set("returnUrl", back.href);
    page.searchParams.set("ref", reference);
    return page.href;
  }

  function isOn(url, origin) {
    try {
      return new URL(url).origin === origin;
    } catch {
      return false;
    }
  }

  // What the editor said: shown with textContent only, links only to the editor's origin.
  function showSaved(projectId, reference, designs, editorOrigin) {
    element("saved-project").textContent = projectId;
    element("saved-ref").textContent = reference || "none";
    const list = element("saved-designs");
    list.replaceChildren();
    for (const design of designs) {
      const item = document.createElement("li");
      item.textContent = `Design ${design.id}`;
      if (isOn(design.previewUrl, editorOrigin)) {
        const link = document.createElement("a");
        link.href = design.previewUrl;
        link.textContent = "preview";
        item.append(" (", link, ")");
      }
      list.append(item);
    }
    element("saved").hidden = false;
  }

  function start() {
    if (!editorUrl) return;
    element("editor-url").value = editorUrl;
    const editorOrigin = new URL(editorUrl).origin;
    const reference = here.get("ref") || "cart-line-1";
    const frame = element("editor");

    element("personalize").hidden = false;
    element("open-there").href = editorPage(reference);
    element("open-here").addEventListener("click", () => {
      frame.src = editorPage(reference);
      frame.hidden = false;
      element("saved").hidden = true;
    });

    // The framed editor's message: only from the editor's origin, only the save.
    window.addEventListener("message", (event) => {
      if (event.origin !== editorOrigin || !event.data || event.data.type !== SAVED) return;
      frame.hidden = true;
      showSaved(event.data.projectId, event.data.ref, event.data.designs || [], editorOrigin);
    });

    // Back from the editor's own page: the same data in this page's query.
    const projectId = here.get("projectId");
    if (projectId) {
      const previews = here.getAll("previewUrl");
      const designs = here.getAll("designId").map((id, index) => ({ id, previewUrl: previews[index] }));
      showSaved(projectId, here.get("ref"), designs, editorOrigin);
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
