// Forms that check as the user types and show the server's field errors (the problem's errors[])
// beside the field they concern. Each field's message goes to its .field-error[data-for=NAME].
import { el } from './dom.js';

/** A labelled input with the place for its error. */
export function field(label, input, name) {
  return el('label', { class: 'field' }, el('span', { class: 'field-label' }, label), input, errorSlot(name));
}

export function errorSlot(name) {
  return el('span', { class: 'field-error error', 'data-for': name, 'aria-live': 'polite' });
}

/**
 * Wires a form: rules[name](values) gives a message or null; while typing, a field shows its message
 * once the user has touched it; on submit every field is checked and, if all pass, submit(values)
 * runs. What the server refuses shows beside its field, or in the form's .form-error when the
 * field is not on the form.
 */
export function checkedForm(form, read, rules, submit) {
  const touched = new Set();
  const general = form.querySelector('.form-error');

  function slot(name) {
    return form.querySelector(`.field-error[data-for="${name}"]`);
  }

  function show(name, message) {
    const target = slot(name);
    if (target) {
      target.textContent = message || '';
    } else if (message) {
      general.textContent = `${name}: ${message}`;
    }
    const input = form.elements.namedItem(name);
    if (input && typeof input.setAttribute === 'function') {
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  function check(all) {
    const values = read();
    let valid = true;
    for (const [name, rule] of Object.entries(rules)) {
      const message = rule(values);
      if (message) valid = false;
      show(name, all || touched.has(name) ? message : null);
    }
    return { valid, values };
  }

  function onEdit(event) {
    if (event.target && event.target.name) touched.add(event.target.name);
    check(false);
  }
  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    general.textContent = '';
    const { valid, values } = check(true);
    form.dataset.valid = String(valid);
    if (!valid) return;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await submit(values);
    } catch (error) {
      const errors = error.errors || [];
      if (errors.length === 0) general.textContent = error.message || String(error);
      for (const fault of errors) show(fault.field, fault.message);
    } finally {
      button.disabled = false;
    }
  });

  return {
    /** Forgets what was typed and every message. */
    reset() {
      form.reset();
      touched.clear();
      general.textContent = '';
      form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
      form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    },
    check,
  };
}
