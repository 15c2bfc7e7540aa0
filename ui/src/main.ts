import './theme.css';
import './components/kx-app.js';
