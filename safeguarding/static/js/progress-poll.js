// Polling a long job's JSON progress, shared by report generation and spreadsheet import.
//
// `watchProgress(box, show)` fetches `box.dataset.url` every second, hands each answer to
// `show(box, progress)`, and reloads the page once `progress.finished` is true, so what the
// job produced appears. A busy or restarting server (an import holds the database while it
// writes) is retried, more slowly after five failures, with a message in the box's live region.

const POLL_MS = 1000
const SLOW_AFTER = 5

export function showMessage (box, text) {
  const message = box.querySelector('[data-progress-message]')
  if (message && message.textContent !== text) message.textContent = text
}

export function watchProgress (box, show) {
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
      failures += 1
      if (failures === SLOW_AFTER) {
        showMessage(box, 'The progress could not be read just now. Still trying.')
      }
    }
    window.setTimeout(poll, failures >= SLOW_AFTER ? POLL_MS * 3 : POLL_MS)
  }
  window.setTimeout(poll, POLL_MS)
}
