// Module scripts run only where GOV.UK Frontend is supported, so the class is set here rather
// than by an inline script (the Content Security Policy forbids those).
document.body.classList.add('js-enabled', 'govuk-frontend-supported')
const { initAll } = await import('/govuk-frontend.min.js')
initAll()
