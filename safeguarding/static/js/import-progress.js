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

const POLL_MS = 1000

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
  const message = box.querySelector('[data-progress-message]')
  if (message && message.textContent !== progress.message) {
    message.textContent = progress.message
  }
  box.querySelectorAll('[data-progress-field]').forEach((field) => {
    const value = progress[field.dataset.progressField]
    if (value === undefined) return
    const text = String(value)
    if (field.textContent !== text) field.textContent = text
  })
}

function watch (box) {
  const url = box.dataset.url
  let failures = 0
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok) throw new Error(`status ${response.status}`)
      const progress = await response.json()
      failures = 0
      show(box, progress)
      if (progress.finished) {
        window.location.reload()
        return
      }
    } catch (error) {
      // A busy server (the import holds the database while it writes): keep trying, slower.
      failures += 1
      if (failures === 5) {
        const message = box.querySelector('[data-progress-message]')
        if (message) message.textContent = 'The progress could not be read just now. Still trying.'
      }
    }
    window.setTimeout(poll, failures >= 5 ? POLL_MS * 3 : POLL_MS)
  }
  window.setTimeout(poll, POLL_MS)
}

document.querySelectorAll('form[data-import-form]').forEach(enhanceForm)
document.querySelectorAll('[data-import-progress]').forEach(watch)
