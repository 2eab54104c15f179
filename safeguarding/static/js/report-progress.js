// Report generation progress, as a small progressive enhancement (no inline script: strict CSP).
//
// - On a form marked [data-report-generate]: once sent, the button is disabled (no second
//   version by a double click) and a message says the report is starting.
// - On a version page with [data-report-progress]: polls the version's JSON progress every
//   second, updates the steps and the live region (role=status) as they change, and reloads the
//   page when generation has finished, so the downloads appear. Without JavaScript the page
//   refreshes itself (<noscript> meta refresh).

import { showMessage, watchProgress } from './progress-poll.js'

const STATE_TEXT = { done: 'Done', running: 'In progress', waiting: 'Waiting' }
const STATE_CLASS = { done: 'govuk-tag--green', running: 'govuk-tag--blue', waiting: 'govuk-tag--grey' }

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
  showMessage(box, progress.message)
  for (const step of progress.steps) {
    const tag = box.querySelector(`[data-step="${step.number}"] [data-step-state]`)
    if (!tag) continue
    tag.textContent = STATE_TEXT[step.state]
    tag.classList.remove(...Object.values(STATE_CLASS))
    tag.classList.add(STATE_CLASS[step.state])
  }
}

document.querySelectorAll('form[data-report-generate]').forEach(enhanceForm)
document.querySelectorAll('[data-report-progress]').forEach((box) => watchProgress(box, showSteps))
