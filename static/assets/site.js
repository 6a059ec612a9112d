/* People First: small improvements over pages that work without it. The form submits in place
   and shows errors inline; the likely country is preselected; a likely typo in the address's
   domain is pointed out; the check-email page shows the address the email went to, with a way
   back to correct it; the thank-you page offers to copy the link and the browser's own share
   sheet; and while the form is filled in, the browser does a little work for the address, which
   puts its email first when the campaign's mail is under attack. */
(() => {
  'use strict';

  function likelyCountry(select) {
    if (select.value) return;
    for (const tag of navigator.languages || [navigator.language]) {
      const region = (tag.split('-')[1] || '').toUpperCase();
      if (region.length === 2 && select.querySelector(`option[value="${region}"]`)) {
        select.value = region;
        return;
      }
    }
  }

  // The mail providers of the campaign's five languages, and the world's largest.
  const PROVIDERS = [
    'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.fr', 'yahoo.de', 'outlook.com', 'outlook.fr',
    'outlook.de', 'hotmail.com', 'hotmail.fr', 'hotmail.de', 'live.com', 'live.fr', 'msn.com',
    'icloud.com', 'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.net', 'gmx.de',
    'web.de', 't-online.de', 'freenet.de', 'posteo.de', 'orange.fr', 'wanadoo.fr', 'free.fr',
    'laposte.net', 'sfr.fr', 'yandex.ru', 'yandex.ua', 'ya.ru', 'mail.ru', 'bk.ru', 'inbox.ru',
    'list.ru', 'rambler.ru', 'ukr.net', 'i.ua', 'meta.ua',
  ];

  // Edits between two strings, a swap of neighbours counting as one (gmial: gmail).
  function distance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  // The address with its domain replaced by the provider it most likely meant, or null.
  function likelyMeant(address) {
    const at = address.lastIndexOf('@');
    if (at < 1) return null;
    const domain = address.slice(at + 1).trim().toLowerCase();
    if (!domain || PROVIDERS.includes(domain)) return null;
    let best = null;
    let fewest = Infinity;
    for (const provider of PROVIDERS) {
      const edits = distance(domain, provider);
      if (edits < fewest) [best, fewest] = [provider, edits];
    }
    // Short names are one edit from many real domains: allow less there.
    const allowed = best.length <= 6 ? 1 : 2;
    return fewest <= allowed ? address.slice(0, at + 1).trim() + best : null;
  }

  function suggestFixes(form) {
    const input = form.elements.email;
    const box = form.querySelector('#email-suggestion');
    const text = box.querySelector('[data-suggestion]');
    let meant = null;
    const check = () => {
      meant = likelyMeant(input.value);
      box.hidden = !meant;
      text.textContent = meant ? form.dataset.suggest.replace('%ADDRESS%', meant) : '';
    };
    input.addEventListener('change', check);
    input.addEventListener('blur', check);
    box.querySelector('[data-use-suggestion]').addEventListener('click', () => {
      input.value = meant;
      box.hidden = true;
      input.focus();
    });
  }

  // What was just signed, kept in this tab only, for the check-email page and a correction.
  const SIGNED = 'people-first:signed';
  const CORRECTING = 'people-first:correcting';

  function remember(key, value) {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage refused: the pages work without it */ }
  }

  function recall(key) {
    try {
      const value = JSON.parse(sessionStorage.getItem(key) || 'null');
      sessionStorage.removeItem(key);
      return value;
    } catch (e) {
      return null;
    }
  }

  function showSentTo(line) {
    const signed = recall(SIGNED);
    if (!signed || !signed.email) return;
    line.textContent = line.dataset.sentTo.replace('%ADDRESS%', signed.email);
    line.hidden = false;
    const correct = document.querySelector('[data-correct-address]');
    correct.hidden = false;
    correct.querySelector('a').addEventListener('click', () => remember(CORRECTING, signed));
  }

  function fillCorrection(form) {
    const signed = recall(CORRECTING);
    if (!signed) return;
    form.elements.name.value = signed.name || '';
    form.elements.email.value = signed.email || '';
    if (signed.country) form.elements.country.value = signed.country;
    form.elements.updates.checked = Boolean(signed.updates);
    // Once the browser has scrolled to the form, which may move the focus.
    window.addEventListener('load', () => {
      form.elements.email.focus();
      form.elements.email.select();
    });
  }

  // The work for an address (shared/src/domain/proof.rs): a nonce whose SHA-256, after the
  // address as the form sends it, starts with 16 zero bits. About 65,000 hashes, counted from 0
  // in batches, so the first found is the smallest; it stops as soon as the address changes.
  const PROOF_BITS = 16;
  const PROOF_BATCH = 256;
  // How long a click on the button waits for the work to finish before signing without it.
  const PROOF_WAIT_MS = 5000;

  function zeroBits(bytes) {
    let bits = 0;
    for (const byte of bytes) {
      if (byte !== 0) return bits + Math.clz32(byte) - 24;
      bits += 8;
    }
    return bits;
  }

  async function findProof(email, wanted) {
    if (!window.crypto || !crypto.subtle) return null;
    const encoder = new TextEncoder();
    const prefix = `people-first proof\0${email}\0`;
    for (let first = 0; wanted(); first += PROOF_BATCH) {
      const digests = await Promise.all(Array.from({ length: PROOF_BATCH },
        (_, i) => crypto.subtle.digest('SHA-256', encoder.encode(prefix + (first + i)))));
      const found = digests.findIndex((digest) => zeroBits(new Uint8Array(digest)) >= PROOF_BITS);
      if (found >= 0) return String(first + found);
    }
    return null;
  }

  // Starts the work whenever the address changes; answers the nonce for an address, waiting a
  // little for it.
  function proveAddresses(form) {
    const input = form.elements.email;
    let work = { email: null, nonce: Promise.resolve(null) };
    const start = () => {
      const email = input.value;
      if (email === work.email || !email.includes('@')) return;
      work = { email, nonce: findProof(email, () => input.value === email) };
    };
    input.addEventListener('input', start);
    start();
    form.proofFor = (email) => {
      start();
      if (work.email !== email) return Promise.resolve(null);
      const late = new Promise((resolve) => { setTimeout(() => resolve(null), PROOF_WAIT_MS); });
      // Work that failed (a browser refusing the hash) sends the form without a proof.
      return Promise.race([work.nonce, late]).catch(() => null);
    };
  }

  // A form the browser itself sends (the organisations' request): the proof rides in a hidden
  // field, added just before the form goes.
  // Sent once, whatever the clicks while the proof is awaited.
  function proveBeforeSending(form) {
    proveAddresses(form);
    let sending = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (sending) return;
      sending = true;
      form.querySelector('button[type=submit]').disabled = true;
      form.elements.proof.value = (await form.proofFor(form.elements.email.value)) || '';
      form.submit();
    });
  }

  function showErrors(form, errors, summary) {
    for (const field of ['name', 'email', 'country']) {
      const input = form.elements[field];
      const message = form.querySelector(`#${field}-error`);
      if (errors[field]) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      message.textContent = errors[field] || '';
    }
    const alert = form.querySelector('.errors');
    alert.textContent = summary;
    alert.hidden = !summary;
    const first = ['name', 'email', 'country'].find((f) => errors[f]);
    (first ? form.elements[first] : alert).focus();
  }

  async function submit(event) {
    const form = event.currentTarget;
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    const body = {
      name: form.elements.name.value,
      email: form.elements.email.value,
      country: form.elements.country.value,
      locale: form.elements.locale.value,
      updates: form.elements.updates.checked,
      // Only the partner's frame asks it.
      partner_updates: form.elements.partner_updates ? form.elements.partner_updates.checked : false,
      website: form.elements.website.value,
      src: form.elements.src.value,
      // How long the form was on screen: people take seconds, scripts do not.
      elapsed: Math.round(performance.now() - shownAt),
    };
    // The bot challenge's answer, when the page shows one.
    const challenge = form.elements['cf-turnstile-response'] || form.elements['h-captcha-response'];
    if (challenge) body.challenge = challenge.value;
    const proof = form.proofFor ? await form.proofFor(body.email) : null;
    if (proof) body.proof = proof;
    try {
      const answer = await fetch('/api/sign', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      if (answer.status === 202) {
        const sentHere = document.querySelector('[data-sent-here]');
        if (sentHere) {
          // In a partner's frame: no navigation the partner's page could notice, nothing kept.
          form.closest('[data-form-here]').hidden = true;
          sentHere.hidden = false;
          sentHere.querySelector('h1').focus();
          return;
        }
        const { name, email, country, updates } = body;
        remember(SIGNED, { name, email, country, updates });
        location.assign(form.dataset.checkEmail);
        return;
      }
      const reply = await answer.json().catch(() => ({}));
      if (answer.status === 422 && reply.errors) {
        showErrors(form, reply.errors, form.dataset.hasErrors || '');
      } else {
        showErrors(form, {}, reply.error || form.dataset.unavailable);
      }
    } catch (e) {
      showErrors(form, {}, form.dataset.unavailable);
    }
    button.disabled = false;
  }

  function share(box) {
    const url = box.dataset.share;
    const copy = box.querySelector('[data-copy]');
    const native = box.querySelector('[data-native-share]');
    const status = box.querySelector('[data-copied]');
    if (navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener('click', async () => {
        await navigator.clipboard.writeText(url);
        status.textContent = status.dataset.message;
      });
    }
    if (navigator.share) {
      native.hidden = false;
      native.addEventListener('click', () => navigator.share({ url, text: box.dataset.shareText }).catch(() => {}));
    }
  }

  // The partner or channel a link to the site named (`?src=`), carried by the form: credit for
  // an organisation or a channel, checked by the server, never the signer's concern.
  function creditSource(form) {
    const src = new URLSearchParams(location.search).get('src');
    if (src && !form.elements.src.value && /^[a-z0-9]{1,10}$/i.test(src)) form.elements.src.value = src;
  }

  // In a partner's frame, the one thing said to the partner's page: the form's height, once, as
  // it first shows. Said again on a resize, a height the partner's script could ask for by
  // nudging the frame's width would tell it that a visitor signed, or mistyped.
  function tellHeight() {
    if (window.parent === window) return;
    parent.postMessage({ peopleFirstHeight: document.documentElement.scrollHeight }, '*');
  }

  let shownAt = 0;
  document.addEventListener('DOMContentLoaded', () => {
    shownAt = performance.now();
    document.querySelectorAll('form[data-sign]').forEach((form) => {
      likelyCountry(form.elements.country);
      creditSource(form);
      fillCorrection(form);
      suggestFixes(form);
      proveAddresses(form);
      form.addEventListener('submit', submit);
    });
    document.querySelectorAll('form[data-prove]').forEach(proveBeforeSending);
    document.querySelectorAll('[data-sent-to]').forEach(showSentTo);
    document.querySelectorAll('[data-share]').forEach(share);
    if (document.body.hasAttribute('data-frame')) tellHeight();
  });
})();
