// Passkey (WebAuthn) ceremonies for the security and step-up pages. Loaded only there; the
// pages keep their SMS and TOTP forms, so without this script nothing is lost but the option.
/* global window, document, navigator, fetch, atob, btoa */
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) {
    document.querySelectorAll('[data-passkey-unsupported]').forEach(function (el) { el.hidden = false; });
    return;
  }

  function fromB64url(s) {
    var b64 = s.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function toB64url(buf) {
    var bytes = new Uint8Array(buf);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function say(root, text) {
    var box = root.querySelector('[data-passkey-status]') || document.querySelector('[data-passkey-status]');
    if (!box) return;
    box.hidden = false;
    box.textContent = text;
  }
  function post(url, csrf, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body || {}),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          var field = data.errors && data.errors[0];
          throw new Error((field && field.message) || data.title || '操作未成功，请重试');
        }
        return data;
      });
    });
  }
  function credentialJSON(cred) {
    var r = cred.response;
    var response = { clientDataJSON: toB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64url(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = toB64url(r.authenticatorData);
      response.signature = toB64url(r.signature);
      if (r.userHandle) response.userHandle = toB64url(r.userHandle);
    }
    return { id: cred.id, rawId: toB64url(cred.rawId), type: cred.type, response: response, clientExtensionResults: cred.getClientExtensionResults(), authenticatorAttachment: cred.authenticatorAttachment || undefined };
  }
  function failed(root, err) {
    var cancelled = err && (err.name === 'NotAllowedError' || err.name === 'AbortError');
    say(root, cancelled ? '已取消或超时，可以重试，或改用其他方式。' : (err && err.message) || '操作未成功，请重试');
  }

  var reg = document.querySelector('[data-passkey-register]');
  if (reg) {
    reg.hidden = false;
    reg.addEventListener('submit', function (e) {
      e.preventDefault();
      var csrf = reg.getAttribute('data-csrf');
      var label = reg.querySelector('[name="label"]');
      post('/account/security/passkey/options', csrf).then(function (o) {
        o.challenge = fromB64url(o.challenge);
        o.user.id = fromB64url(o.user.id);
        (o.excludeCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
        return navigator.credentials.create({ publicKey: o });
      }).then(function (cred) {
        return post('/account/security/passkey', csrf, { response: credentialJSON(cred), label: label ? label.value : '' });
      }).then(function (done) {
        window.location.assign(done.redirect);
      }).catch(function (err) { failed(reg, err); });
    });
  }

  var step = document.querySelector('[data-passkey-step-up]');
  if (step) {
    step.hidden = false;
    step.querySelector('[data-passkey-start]').addEventListener('click', function () {
      var csrf = step.getAttribute('data-csrf');
      post('/account/step-up/passkey/options', csrf).then(function (o) {
        o.challenge = fromB64url(o.challenge);
        (o.allowCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
        return navigator.credentials.get({ publicKey: o });
      }).then(function (cred) {
        return post('/account/step-up/passkey', csrf, { response: credentialJSON(cred), level: Number(step.getAttribute('data-level')), next: step.getAttribute('data-next') || undefined });
      }).then(function (done) {
        window.location.assign(done.redirect);
      }).catch(function (err) { failed(step, err); });
    });
  }
})();
