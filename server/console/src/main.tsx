/** The console's entry point (bundled by `server/console/build.mjs`). */
import { render } from 'preact';
import { App } from './app';
import './styles.css';

render(<App />, document.getElementById('app') as HTMLElement);
