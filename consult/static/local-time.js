// Shows a deadline in the reader's own time zone too, next to the one in the
// consultation's zone that the page already states. Without JavaScript nothing
// is missing: the element stays hidden.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var readerZone;
  try {
    readerZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  var times = document.querySelectorAll("time.local-time[datetime][data-label]");
  Array.prototype.forEach.call(times, function (time) {
    var moment = new Date(time.getAttribute("datetime"));
    if (isNaN(moment.getTime()) || readerZone === time.getAttribute("data-zone")) {
      return;
    }
    var text = new Intl.DateTimeFormat(lang, {
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short"
    }).format(moment);
    time.textContent = time.getAttribute("data-label").replace("{date}", text);
    time.hidden = false;
  });
})();
