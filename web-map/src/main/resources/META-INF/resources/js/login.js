// The CSRF token comes in a cookie; the form must echo it.
import { csrfToken } from './http.js';

document.getElementById('csrf').value = csrfToken() ?? '';
const params = new URLSearchParams(location.search);
document.getElementById('login-error').hidden = !params.has('error');
document.getElementById('login-logout').hidden = !params.has('logout');
