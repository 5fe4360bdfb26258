// Progressive enhancement: show each <time data-local> in the reader's own time zone. The page
// says UTC without this script; the title (shown on hover) keeps the UTC time either way.
(function () {
  "use strict";
  var format;
  try {
    format = new Intl.DateTimeFormat(undefined, {
      year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
      timeZoneName: "short"
    });
  } catch (e) {
    return;
  }
  function localise() {
    var times = document.querySelectorAll("time[data-local][datetime]");
    for (var i = 0; i < times.length; i++) {
      var moment = new Date(times[i].getAttribute("datetime"));
      if (!isNaN(moment.getTime())) {
        times[i].textContent = format.format(moment);
      }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", localise);
  } else {
    localise();
  }
})();
