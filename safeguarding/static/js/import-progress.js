// Import progress, as a small progressive enhancement (no inline script: strict CSP).
//
// - On the import page's form [data-import-form]: once sent, say that the file is being
//   checked (a small file is imported within the request; a large one goes on to its progress
//   page).
// - On a progress page with [data-import-progress]: polls the import's JSON progress every
//   second, shows the stage and the figures as they change (the message is a live region,
//   role=status), and reloads the page when the import has finished, so the report appears.
//   Without JavaScript the page refreshes itself (<noscript> meta refresh) and has a Refresh
//   button.

import { showMessage, watchProgress } from './progress-poll.js'

function enhanceForm (form) {
  const status = document.getElementById('import-progress')
  if (!status) return
  form.addEventListener('submit', () => {
    const input = form.querySelector('input[type=file]')
    const file = input && input.files && input.files[0]
    const size = file ? ` (${Math.max(1, Math.round(file.size / 1024))} KB)` : ''
    status.textContent = `Sending and checking your file${size}. Keep this page open.`
    status.classList.remove('govuk-visually-hidden')
    status.classList.add('govuk-inset-text')
  })
}

function show (box, progress) {
  showMessage(box, progress.message)
  box.querySelectorAll('[data-progress-field]').forEach((field) => {
    const value = progress[field.dataset.progressField]
    if (value === undefined) return
    const text = String(value)
    if (field.textContent !== text) field.textContent = text
  })
}

document.querySelectorAll('form[data-import-form]').forEach(enhanceForm)
document.querySelectorAll('[data-import-progress]').forEach((box) => watchProgress(box, show))
