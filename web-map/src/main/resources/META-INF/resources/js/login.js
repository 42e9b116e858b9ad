// The CSRF token comes in a cookie; the form must echo it.
import { csrfToken } from './http.js';
import { forgetPersonalData } from './offline.js';

document.getElementById('csrf').value = csrfToken() ?? '';
const params = new URLSearchParams(location.search);
document.getElementById('login-error').hidden = !params.has('error');
document.getElementById('login-logout').hidden = !params.has('logout');
// whoever logs in next on this phone finds no one else's route (a session that ended without log-out too)
forgetPersonalData();
