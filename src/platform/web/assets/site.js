// Progressive enhancement only: every page works without this file.
/* global window, document */
(function () {
  'use strict';

  // Error summaries take focus so screen-reader users hear what to fix.
  var summary = document.querySelector('[data-autofocus]');
  if (summary) summary.focus();

  // 朗读: reads the main content aloud with the browser's own speech synthesis.
  var button = document.querySelector('[data-read-aloud]');
  var synth = window.speechSynthesis;
  if (!button || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return;

  var reading = false;
  function setReading(on) {
    reading = on;
    button.textContent = on ? '停止朗读' : '朗读';
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
  }

  function mainText() {
    var main = document.getElementById('main');
    if (!main) return '';
    var copy = main.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"], .visually-hidden-focusable, script, style').forEach(function (n) {
      n.remove();
    });
    return (copy.innerText || copy.textContent || '').replace(/\s+/g, ' ').trim();
  }

  button.hidden = false;
  setReading(false);
  button.addEventListener('click', function () {
    if (reading) {
      synth.cancel();
      setReading(false);
      return;
    }
    var text = mainText();
    if (!text) return;
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang || 'zh-CN';
    utterance.rate = document.documentElement.classList.contains('elder') ? 0.85 : 1;
    utterance.onend = utterance.onerror = function () {
      setReading(false);
    };
    synth.cancel();
    synth.speak(utterance);
    setReading(true);
  });
  window.addEventListener('pagehide', function () {
    synth.cancel();
  });
})();

// Live progress for long work: an element with data-progress-url polls that JSON status
// (rowsProcessed / totalRows / status) and updates its <progress> (its label starts with
// data-progress-verb, default 已检查); when the work ends the
// page reloads to show the result. Without JavaScript the page has a refresh link instead
// (no timed meta refresh: people must control when a page changes, WCAG 2.2.1).
(function () {
  var box = document.querySelector('[data-progress-url]');
  if (!box || !window.fetch) return;
  var bar = box.querySelector('progress');
  var label = box.querySelector('[data-progress-label]');
  var url = box.getAttribute('data-progress-url');
  function poll() {
    window.fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (s) {
        if (!s) return;
        if (s.status === 'done' || s.status === 'failed') {
          window.location.reload();
          return;
        }
        var total = s.totalRows || 1;
        if (bar) {
          bar.max = total;
          bar.value = s.rowsProcessed;
        }
        if (label) label.textContent = (box.getAttribute('data-progress-verb') || '已检查') + ' ' + s.rowsProcessed + ' / ' + s.totalRows + ' 行（' + Math.floor((s.rowsProcessed * 100) / total) + '%）';
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
