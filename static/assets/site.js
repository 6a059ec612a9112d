/* People First: small improvements over pages that work without it. The form submits in place
   and shows errors inline; the likely country is preselected; the thank-you page offers to copy
   the link and the browser's own share sheet. */
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
      website: form.elements.website.value,
      // How long the form was on screen: people take seconds, scripts do not.
      elapsed: Math.round(performance.now() - shownAt),
    };
    // The bot challenge's answer, when the page shows one.
    const challenge = form.elements['cf-turnstile-response'] || form.elements['h-captcha-response'];
    if (challenge) body.challenge = challenge.value;
    try {
      const answer = await fetch('/api/sign', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      if (answer.status === 202) {
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

  let shownAt = 0;
  document.addEventListener('DOMContentLoaded', () => {
    shownAt = performance.now();
    document.querySelectorAll('form[data-sign]').forEach((form) => {
      likelyCountry(form.elements.country);
      form.addEventListener('submit', submit);
    });
    document.querySelectorAll('[data-share]').forEach(share);
  });
})();
