// Report generation progress, as a small progressive enhancement (no inline script: strict CSP).
//
// - On a form marked [data-report-generate]: once sent, the button is disabled (no second
//   version by a double click) and a message says the report is starting.
// - On a version page with [data-report-progress]: polls the version's JSON progress every
//   second, updates the steps and the live region (role=status) as they change, and reloads the
//   page when generation has finished, so the downloads appear. Without JavaScript the page
//   refreshes itself (<noscript> meta refresh).

const STATE_TEXT = { done: 'Done', running: 'In progress', waiting: 'Waiting' }
const STATE_CLASS = { done: 'govuk-tag--green', running: 'govuk-tag--blue', waiting: 'govuk-tag--grey' }
const POLL_MS = 1000

function enhanceForm (form) {
  form.addEventListener('submit', () => {
    const button = form.querySelector('button[type=submit]')
    const starting = form.querySelector('[data-report-starting]')
    if (button) {
      // Disabled after the submit event has been handed the button's value.
      window.setTimeout(() => { button.disabled = true; button.setAttribute('aria-disabled', 'true') }, 0)
    }
    if (starting) {
      starting.hidden = false
      starting.setAttribute('role', 'status')
    }
  })
}

function showSteps (box, progress) {
  const message = box.querySelector('[data-progress-message]')
  if (message && message.textContent !== progress.message) {
    message.textContent = progress.message
  }
  for (const step of progress.steps) {
    const tag = box.querySelector(`[data-step="${step.number}"] [data-step-state]`)
    if (!tag) continue
    tag.textContent = STATE_TEXT[step.state]
    tag.classList.remove(...Object.values(STATE_CLASS))
    tag.classList.add(STATE_CLASS[step.state])
  }
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
      showSteps(box, progress)
      if (progress.finished) {
        window.location.reload()
        return
      }
    } catch (error) {
      // A busy or restarting server: say so after a few tries, and keep trying more slowly.
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

document.querySelectorAll('form[data-report-generate]').forEach(enhanceForm)
document.querySelectorAll('[data-report-progress]').forEach(watch)
