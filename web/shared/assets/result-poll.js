// Reloads the result page once every notice of the cart is paid (receipts arrive a few seconds
// after Checkout returns). Without JavaScript the page offers a reload button instead.
(function () {
  var el = document.querySelector("[data-poll-url]");
  if (!el) return;
  var url = el.getAttribute("data-poll-url");
  var tries = 0;
  function poll() {
    tries += 1;
    fetch(url, { headers: { accept: "application/json" } })
      .then(function (r) {
        return r.json();
      })
      .then(function (s) {
        if (s.allPaid) window.location.reload();
        else if (tries < 60) setTimeout(poll, 2000);
      })
      .catch(function () {
        if (tries < 60) setTimeout(poll, 4000);
      });
  }
  setTimeout(poll, 1500);
})();
