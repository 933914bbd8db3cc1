// Entry point: mounts the KetaChart UI into #app, or, for a patient's self-report link
// (#/self-report/<token>), the public form alone: no session, no staff pages.
import { render } from 'preact';
import { App } from './App';
import { SelfReportPage, selfReportToken } from './measures/SelfReportPage';
import './styles.css';

const root = document.getElementById('app');
const token = selfReportToken(window.location.hash);
if (root) render(token ? <SelfReportPage token={token} /> : <App />, root);
