// Telling the shop that opened the editor that the customer saved (designer/web/shop.py; README,
// "Add Presswork to a shop's product page"). Save's answer carries, when a shop gave a returnUrl,
// a `.shop-return` paragraph: the message, the shop's origin and a link back to the shop.
// - In a frame: the message goes to the parent page, to the shop's exact origin only (a parent
//   on any other origin never receives it).
// - Not in a frame: the browser goes back to the shop, the same data in the link's query.
(function () {
  "use strict";

  const SAVED = ".shop-return[data-shop-origin]";

  // htmx calls it with the page at first, then with each element an answer put in.
  function tellTheShop(content) {
    if (!(content instanceof Element)) return;
    const saved = content.matches(SAVED) ? content : content.querySelector(SAVED);
    if (!saved) return;
    if (window.parent !== window) {
      window.parent.postMessage(JSON.parse(saved.dataset.shopMessage), saved.dataset.shopOrigin);
    } else {
      window.location.assign(saved.querySelector("a").href);
    }
  }

  htmx.onLoad(tellTheShop);
})();
