// The volunteer's check-in scanner: the phone's camera reads a runner's check-in QR and sends its text through
// the check-in code form (htmx swaps the runner's card in; without htmx the form posts). The browser's
// BarcodeDetector reads it where there is one; elsewhere jsQR (static/vendor/jsQR.js, loaded only then).
// Only this page may use the camera (its Permissions-Policy), and browsers give it only over HTTPS or on
// localhost.
(function () {
  var section = document.getElementById("scanner");
  var form = document.getElementById("token-form");
  if (!section || !form) return;
  var startButton = section.querySelector("[data-scan=start]");
  var stopButton = section.querySelector("[data-scan=stop]");
  var video = section.querySelector("video");
  var status = section.querySelector(".scanner-status");
  var field = form.querySelector("input[name=token]");
  var INTERVAL_MS = 150; // between two reads of the picture: light on a phone's battery, quick enough by hand
  var GONE_MS = 1500; // the same QR counts again once it has been out of sight this long

  var stream = null;
  var timer = null;
  var reader = null; // function (video) -> Promise of the text read, or null
  var last = { text: null, seen: 0 };

  function say(text) { status.textContent = text || ""; }

  section.hidden = false;
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    startButton.disabled = true;
    say(section.dataset.insecure);
    return;
  }

  function nativeReader() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") < 0) return null;
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function (source) {
        return detector.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
      };
    }, function () { return null; });
  }

  function loadFallback() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    var url = section.dataset.fallback;
    if (!url) return Promise.resolve(null);
    return new Promise(function (resolve) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () { resolve(window.jsQR || null); };
      script.onerror = function () { resolve(null); };
      document.head.appendChild(script);
    });
  }

  function fallbackReader() {
    return loadFallback().then(function (jsQR) {
      if (!jsQR) return null;
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function (source) {
        var width = source.videoWidth, height = source.videoHeight;
        if (!width || !height) return Promise.resolve(null);
        var scale = Math.min(1, 640 / Math.max(width, height)); // a phone's 1080p frame is slow to search whole
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        context.drawImage(source, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(code ? code.data : null);
      };
    });
  }

  function chooseReader() {
    if (reader) return Promise.resolve(reader);
    return nativeReader().then(function (native) { return native || fallbackReader(); }).then(function (chosen) {
      reader = chosen;
      return chosen;
    });
  }

  function send(text) {
    field.value = text;
    say(section.dataset.sending);
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  function read() {
    timer = null;
    if (!stream) return;
    reader(video).then(function (text) {
      var now = Date.now();
      if (text) {
        var again = text === last.text && now - last.seen < GONE_MS;
        last = { text: text, seen: now };
        if (!again) send(text);
      }
    }, function () { /* a frame the reader could not take: try the next one */ }).then(function () {
      if (stream) timer = setTimeout(read, INTERVAL_MS);
    });
  }

  function stop() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  function start() {
    startButton.disabled = true;
    chooseReader().then(function (chosen) {
      if (!chosen) {
        say(section.dataset.unsupported);
        return null;
      }
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          startButton.hidden = true;
          stopButton.hidden = false;
          say(section.dataset.aim);
          return video.play().then(read);
        });
    }).catch(function () {
      stop();
      say(section.dataset.denied);
    }).then(function () { startButton.disabled = false; });
  }

  // The runner's card has come: the scanner waits for the next runner, the field for the next code.
  document.addEventListener("htmx:afterSwap", function () {
    if (stream) say(section.dataset.aim);
  });
  form.addEventListener("htmx:afterRequest", function () { field.value = ""; });
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", function () { stop(); say(""); });
  // A page left (or kept in the back/forward cache) lets the camera go.
  window.addEventListener("pagehide", stop);
  // Without htmx the form posts and the page comes back: the scanner starts again by itself if it ran.
  form.addEventListener("submit", function () {
    if (!window.htmx && stream) sessionStorage.setItem("checkin-scanner", "on");
  });
  if (sessionStorage.getItem("checkin-scanner") === "on") {
    sessionStorage.removeItem("checkin-scanner");
    start();
  }
})();
