import '@mantine/core/styles.css';
import './print.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { SessionProvider } from './auth/session';
import { AppRouter } from './router';

const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme}>
        <SessionProvider>
          <AppRouter />
        </SessionProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
