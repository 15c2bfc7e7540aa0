import './locale-guard.js';
import './theme.css';
import './components/kx-app.js';
