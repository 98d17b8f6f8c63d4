// The little the pages need beyond htmx: the anti-forgery token on htmx requests, page zoom,
// drag and drop onto the upload form, and upload progress. No inline scripts (the CSP forbids them).
(() => {
  const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  document.body.addEventListener('htmx:configRequest', (e) => {
    e.detail.headers['x-csrf-token'] = token;
  });
  document.addEventListener('click', (e) => {
    if (e.target.closest('button.print')) window.print();
    // The document frame stays out of the way until a document is opened in it.
    if (e.target.closest('a[target="document-view"]')) {
      const frame = document.querySelector('iframe.document-view');
      frame.hidden = false;
      frame.scrollIntoView({ block: 'nearest' });
    }
    const button = e.target.closest('button.zoom');
    if (!button) return;
    button.closest('figure.page').classList.toggle('zoomed', button.dataset.zoom === 'in');
  });
  const form = document.querySelector('form.upload');
  if (form) {
    const input = form.querySelector('input[type=file]');
    form.addEventListener('dragover', (e) => {
      e.preventDefault();
      form.classList.add('dragging');
    });
    form.addEventListener('dragleave', () => form.classList.remove('dragging'));
    form.addEventListener('drop', (e) => {
      e.preventDefault();
      form.classList.remove('dragging');
      input.files = e.dataTransfer.files;
    });
    const progress = form.querySelector('progress');
    form.addEventListener('htmx:xhr:progress', (e) => {
      progress.hidden = false;
      if (e.detail.lengthComputable) progress.value = Math.round((e.detail.loaded / e.detail.total) * 100);
    });
    form.addEventListener('htmx:afterRequest', () => {
      progress.hidden = true;
      form.reset();
    });
  }
})();
