/** Renderer entry: styles, the stores (which connect to the engine on import), then the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import './stores/connection.ts';
import './stores/hosts.ts';
import './stores/alerts.ts';
import './stores/rules.ts';
import './stores/checks.ts';
import './stores/toasts.ts';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(<StrictMode><App /></StrictMode>);
