import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { obtainTransport } from './transport/pick';
import './styles.css';

// Served by the engine: the staff WebSocket. In the desktop shell: the port its preload hands over.
const transport = await obtainTransport(window);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App transport={transport} />
  </StrictMode>,
);
